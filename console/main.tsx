import { type JSX, render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { onUnauthorized, signIn, signOut, takeTokenFromUrl, token } from './api';
import { CostPage } from './cost-page';
import { IntegrationsPage } from './integrations-page';
import { InventoryPage } from './inventory-page';
import { KpisPage } from './kpis-page';
import { OrderPage } from './order-page';
import { OrdersPage } from './orders-page';
import { StuckPage } from './stuck-page';

/** Routes live in the URL fragment: the console is one static page, whatever path serves it. */
function useRoute(): string {
  const [route, setRoute] = useState(location.hash.slice(1) || '/orders');
  useEffect(() => {
    const changed = () => setRoute(location.hash.slice(1) || '/orders');
    addEventListener('hashchange', changed);
    return () => removeEventListener('hashchange', changed);
  }, []);
  return route;
}

function SignIn({ reason }: { reason?: string }) {
  const [value, setValue] = useState('');
  return (
    <article class="sign-in">
      <h2>Sign in</h2>
      {reason ? <p class="error">{reason}</p> : null}
      <p>
        Paste an ops token. Locally: <code>npm run -s token -- ops</code>, or open the console link{' '}
        <code>npm start</code> prints.
      </p>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          signIn(value);
          location.reload();
        }}
      >
        <input
          aria-label="Ops token"
          name="token"
          type="password"
          value={value}
          onInput={(e) => setValue((e.target as HTMLInputElement).value)}
        />
        <button type="submit">Sign in</button>
      </form>
    </article>
  );
}

/** The console's pages by their fragment route (an order's page is /orders/<id>). */
const PAGES: Record<string, () => JSX.Element> = {
  '/orders': OrdersPage,
  '/stuck': StuckPage,
  '/kpis': KpisPage,
  '/inventory': InventoryPage,
  '/cost': CostPage,
  '/integrations': IntegrationsPage,
};

function Console() {
  const route = useRoute();
  const [refused, setRefused] = useState<string>();
  useEffect(
    () => onUnauthorized(() => setRefused('The API refused the token (expired?): sign in again.')),
    [],
  );
  if (!token() || refused) return <SignIn {...(refused ? { reason: refused } : {})} />;
  const order = /^\/orders\/([0-9A-Z]{26})$/.exec(route)?.[1];
  const Page = PAGES[route] ?? OrdersPage;
  return (
    <>
      <nav>
        <ul>
          <li>
            <strong>OMS console</strong>
          </li>
        </ul>
        <ul>
          <li>
            <a href="#/orders">Orders</a>
          </li>
          <li>
            <a href="#/stuck">Stuck and late</a>
          </li>
          <li>
            <a href="#/kpis">KPIs</a>
          </li>
          <li>
            <a href="#/inventory">Inventory</a>
          </li>
          <li>
            <a href="#/cost">Cost</a>
          </li>
          <li>
            <a href="#/integrations">Integrations</a>
          </li>
          <li>
            <button
              type="button"
              class="secondary outline"
              onClick={() => {
                signOut();
                location.reload();
              }}
            >
              Sign out
            </button>
          </li>
        </ul>
      </nav>
      <main>{order ? <OrderPage id={order} key={order} /> : <Page />}</main>
    </>
  );
}

takeTokenFromUrl();
// A console link opened in a tab already on the console only changes the fragment.
addEventListener('hashchange', () => {
  if (!location.hash.includes('token=')) return;
  takeTokenFromUrl();
  location.reload();
});
const root = document.getElementById('console');
if (root) render(<Console />, root);
