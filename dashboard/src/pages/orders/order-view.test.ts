import { describe, expect, it } from "vitest";
import { orderMoves } from "./order-view";

describe("order status buttons", () => {
  it("offer confirm → ship → deliver, cancelling until delivered, nothing once done", () => {
    expect(orderMoves("pending").map((m) => m.to)).toEqual(["confirmed", "cancelled"]);
    expect(orderMoves("confirmed").map((m) => m.to)).toEqual(["shipped", "cancelled"]);
    expect(orderMoves("shipped").map((m) => m.to)).toEqual(["delivered", "cancelled"]);
    expect(orderMoves("delivered")).toEqual([]);
    expect(orderMoves("cancelled")).toEqual([]);
    expect(orderMoves("pending").find((m) => m.to === "cancelled")?.danger).toBe(true);
  });
});
