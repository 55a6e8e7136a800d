export interface CartItem {
  readonly sku: string;
  readonly price: number;
  readonly quantity: number;
}

export function total(items: readonly CartItem[]): number {
  return items.reduce((sum, item) => sum + item.price * item.quantity, 0);
}
