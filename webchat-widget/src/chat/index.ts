// chat.js entry: loaded by widget.js on demand; finds its loader and mounts the panel.
import { BRIDGE_GLOBAL, type LoaderBridge } from "../bridge.js";
import { createChat } from "./panel.js";

const bridge = (window as unknown as Record<string, LoaderBridge | undefined>)[BRIDGE_GLOBAL];
if (bridge) bridge.attach(createChat(bridge));
