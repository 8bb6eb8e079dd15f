// Kaleem message parts for the send tests.
import type { MessagePart } from "@kaleem/shared";

type ProductCard = Extract<MessagePart, { type: "product_card" }>;

/** An in-stock product card with an image and a page, named after its id. */
export const productCard = (id: string, over: Partial<ProductCard> = {}): MessagePart => ({
  type: "product_card",
  productId: id,
  name: `Sukkari dates box ${id}`,
  price: 45,
  currency: "SAR",
  imageUrl: `https://cdn.shop.example/${id}.jpg`,
  url: `https://shop.example/p/${id}`,
  inStock: true,
  ...over,
});
