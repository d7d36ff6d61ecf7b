// The wire: serve's Server-Sent Events (/events): a hello, then batches of items with the server's
// state, or a refusal. EventSource reconnects by itself; items already taken are ignored by the Run.

export function connect(url, on) {
  const es = new EventSource(url);
  es.addEventListener('hello', (m) => on.hello(JSON.parse(m.data)));
  es.addEventListener('batch', (m) => on.batch(JSON.parse(m.data)));
  es.addEventListener('refused', (m) => { on.refused(m.data); es.close(); });
  es.onerror = () => on.status('disconnected: retrying');
  es.onopen = () => on.status(null);
  return es;
}
