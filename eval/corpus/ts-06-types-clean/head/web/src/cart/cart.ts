/** One line of the cart. */
export interface CartItem {
  readonly sku: string;
  readonly price: number;
  readonly quantity: number;
}

/** The price of the whole cart. */
export function total(items: readonly CartItem[]): number {
  return items.reduce((sum, item) => sum + item.price * item.quantity, 0);
}
