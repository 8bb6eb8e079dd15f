// Which channel a conversation or an order came from: a small glyph and the channel's name.
import type { ConversationChannel } from "@kaleem/shared/contracts";
import { useI18n } from "../i18n/i18n";
import { Icon } from "./icons";

export function ChannelBadge({ channel }: { channel: ConversationChannel }) {
  const { t } = useI18n();
  return (
    <span className={`channel-badge channel-${channel}`} data-testid="channel-badge" data-channel={channel}>
      <Icon name={channel} size={13} />
      <span>{t(`channel.${channel}`)}</span>
    </span>
  );
}
