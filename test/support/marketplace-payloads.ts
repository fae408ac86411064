import type { MeliOrder, MeliOrderPayload } from '../../shared/domain/marketplace-mercadolibre';

/**
 * The smallest paid Mercado Libre order (one unit of one item) with its shipment, as
 * POST /marketplaces/mercadolibre/orders takes it.
 */
export function mercadoLibrePayload(item: MeliOrder['order_items'][number]['item']): MeliOrderPayload {
  return {
    order: {
      id: 2000000000001,
      status: 'paid',
      currency_id: 'BRL',
      order_items: [{ item, quantity: 1, unit_price: 10 }],
      buyer: { id: 1, first_name: 'Ana', email: 'ana@example.com' },
    },
    shipment: {
      id: 4000000000001,
      receiver_address: {
        address_line: 'Rua 1',
        zip_code: '01000-000',
        city: { name: 'SP' },
        country: { id: 'BR' },
      },
    },
  };
}
