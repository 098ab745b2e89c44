import type { ProductImport } from '../../shared/api/stock.ts';

/**
 * About 200 believable electronics-store products, the same on every run: brands × product
 * lines, with stock from a fixed formula (no randomness, so demos and screenshots repeat).
 */
const LINES: { category: string; skuPart: string; names: string[]; price: number }[] = [
  {
    category: 'Phone cases',
    skuPart: 'CASE',
    names: ['Clear Case', 'Leather Folio', 'Rugged Case', 'Silicone Case', 'MagSafe Wallet'],
    price: 39,
  },
  {
    category: 'Chargers',
    skuPart: 'CHG',
    names: ['20W USB-C Charger', '65W GaN Charger', 'Wireless Pad', '3-in-1 Stand', 'Car Charger'],
    price: 29,
  },
  {
    category: 'Cables',
    skuPart: 'CBL',
    names: ['USB-C Cable 1m', 'USB-C Cable 2m', 'Lightning Cable 1m', 'Braided USB-C 3m', 'HDMI 2.1 Cable'],
    price: 19,
  },
  {
    category: 'Audio',
    skuPart: 'AUD',
    names: [
      'Wireless Earbuds',
      'Noise-Cancelling Headphones',
      'Portable Speaker',
      'Sport Earbuds',
      'Soundbar Mini',
    ],
    price: 129,
  },
  {
    category: 'Storage',
    skuPart: 'STO',
    names: ['microSD 128GB', 'microSD 256GB', 'Portable SSD 1TB', 'USB Flash 64GB', 'Portable SSD 2TB'],
    price: 49,
  },
  {
    category: 'Screen protection',
    skuPart: 'SCR',
    names: ['Glass Protector', 'Privacy Glass', 'Matte Film', 'Camera Lens Guard', 'Tablet Glass'],
    price: 24,
  },
  {
    category: 'Power',
    skuPart: 'PWR',
    names: ['Power Bank 10k', 'Power Bank 20k', 'MagSafe Battery', 'Solar Power Bank', 'Laptop Power Bank'],
    price: 59,
  },
  {
    category: 'Smart home',
    skuPart: 'HOME',
    names: ['Smart Plug', 'Smart Bulb', 'Video Doorbell', 'Indoor Camera', 'Mesh Wi-Fi Node'],
    price: 45,
  },
];
const BRANDS = ['Aloha', 'Kona', 'Makai', 'Pali', 'Volt'];

export const TRADE_IN_KIT = {
  sku: 'IPHONE-TRADEIN-KIT',
  name: 'iPhone Trade-In Kit',
  category: 'Trade-in',
  priceLabel: 'Free with trade-in',
};

export function demoProducts(storeIndex: number): ProductImport['products'] {
  const products: ProductImport['products'] = [{ ...TRADE_IN_KIT, onHand: 100 }];
  LINES.forEach((line, li) => {
    BRANDS.forEach((brand, bi) => {
      line.names.forEach((name, ni) => {
        const n = li * 25 + bi * 5 + ni;
        // Deterministic, varied stock: some items sell out quickly, a few are plentiful.
        const onHand = (n * 7 + storeIndex * 3) % 23;
        products.push({
          sku: `${line.skuPart}-${brand.toUpperCase()}-${ni + 1}`,
          name: `${brand} ${name}`,
          category: line.category,
          priceLabel: `$${line.price + ((n * 5) % 30)}.99`,
          onHand,
        });
      });
    });
  });
  return products;
}
