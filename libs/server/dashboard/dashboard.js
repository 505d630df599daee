/* global document, sessionStorage, fetch, CSS -- a browser module, served as is */
// The Switchyard dashboard: a plain ES module over the JSON API, no build step.
// Every value from the API reaches the page through textContent, never as HTML.

const KEY_STORAGE = 'switchyard.apiKey';
const EVENT_LIMIT = 25;

const element = (id) => document.getElementById(id);
const keyForm = element('key-form');
const message = element('message');
const content = element('content');
const cards = element('cards');
const eventsBody = element('events');
const dialog = element('configure');
const configureForm = element('configure-form');
const configureError = element('configure-error');

/** A failed API call, carrying the problem details' `detail` (or title) as its message. */
class ApiError extends Error {
  constructor(status, detail) {
    super(detail);
    this.status = status;
  }
}

let providers = new Map();
let integrationNames = new Map();
let editing;

function apiKey() {
  return sessionStorage.getItem(KEY_STORAGE) ?? '';
}

async function api(method, path, body) {
  const headers = { authorization: `Bearer ${apiKey()}`, accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(path, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  const parsed = await response.json().catch(() => undefined);
  if (!response.ok) {
    const detail = parsed?.detail ?? parsed?.title ?? `${method} ${path} answered ${response.status}`;
    if (response.status === 401) signOut('The API key was refused; enter another.');
    throw new ApiError(response.status, detail);
  }
  return parsed;
}

/** Creates an element with a class and text; children are appended as given. */
function make(tag, options = {}, ...children) {
  const node = document.createElement(tag);
  if (options.className !== undefined) node.className = options.className;
  if (options.text !== undefined) node.textContent = String(options.text);
  for (const [name, value] of Object.entries(options.attributes ?? {})) node.setAttribute(name, value);
  node.append(...children);
  return node;
}

function say(text) {
  message.textContent = text;
}

function signOut(text) {
  sessionStorage.removeItem(KEY_STORAGE);
  content.hidden = true;
  element('session').hidden = true;
  keyForm.hidden = false;
  say(text);
}

function describe(integration) {
  const description = integration.settings?.description;
  if (typeof description === 'string' && description.trim() !== '') return description;
  return providers.get(integration.providerId)?.name ?? integration.providerId;
}

function typeOf(integration) {
  const category = providers.get(integration.providerId)?.category;
  return category === undefined ? integration.providerId : `${integration.providerId} · ${category}`;
}

function field(label, value, className) {
  return [make('dt', { text: label }), make('dd', { text: value, ...(className === undefined ? {} : { className }) })];
}

function card(integration, health, status) {
  const titleId = `integration-${integration.id}`;
  const error = make('p', { className: 'error', attributes: { role: 'alert' } });
  const toggle = make('input', { attributes: { type: 'checkbox', role: 'switch' } });
  toggle.checked = integration.status !== 'disabled';
  const label = make(
    'label',
    { className: 'switch' },
    toggle,
    make('span', { text: 'Enabled' }),
    make('span', { className: 'visually-hidden', text: ` (${integration.name})` }),
  );
  toggle.addEventListener('change', async () => {
    const action = toggle.checked ? 'connect' : 'disconnect';
    toggle.disabled = true;
    error.textContent = '';
    try {
      await api('POST', `/api/v1/integrations/${encodeURIComponent(integration.id)}/${action}`);
      say(`${integration.name}: ${action === 'connect' ? 'connected' : 'disabled'}.`);
    } catch (failure) {
      toggle.checked = !toggle.checked;
      error.textContent = failure.message;
    } finally {
      toggle.disabled = false;
    }
    await refresh({ keepMessage: true, errors: new Map([[integration.id, error.textContent]]), focus: integration.id });
  });
  const configure = make('button', { text: 'Configure', attributes: { type: 'button', 'aria-describedby': titleId } });
  configure.addEventListener('click', () => openConfigure(integration));

  const score = health === undefined ? '—' : `${health.score} / 100 (${health.grade})`;
  const breaker = status?.breaker ?? '—';
  return make(
    'li',
    { className: `card status-${integration.status}`, attributes: { 'data-integration-id': integration.id } },
    make(
      'article',
      { attributes: { 'aria-labelledby': titleId } },
      make('h3', { text: integration.name, attributes: { id: titleId } }),
      make('p', { className: 'description', text: describe(integration) }),
      make(
        'dl',
        {},
        ...field('Type', typeOf(integration)),
        ...field('Status', integration.status, `badge status-${integration.status}`),
        ...field('Health', score),
        ...field('Breaker', breaker, `badge breaker-${breaker}`),
      ),
      make('div', { className: 'card-actions' }, label, configure),
      error,
    ),
  );
}

function eventRow(event) {
  const time = new Date(event.occurredAt);
  const details = Object.keys(event.payload ?? {}).length === 0 ? '' : JSON.stringify(event.payload);
  const integration = event.integrationId === null ? '' : (integrationNames.get(event.integrationId) ?? event.integrationId);
  return make(
    'tr',
    {},
    make('td', {}, make('time', { text: time.toLocaleString(), attributes: { datetime: event.occurredAt } })),
    make('td', {}, make('code', { text: event.type })),
    make('td', { text: integration }),
    make('td', { className: 'details', text: details }),
  );
}

async function refresh(options = {}) {
  if (!options.keepMessage) say('Loading…');
  try {
    const [providerList, integrationList, eventList] = await Promise.all([
      api('GET', '/api/v1/providers'),
      api('GET', '/api/v1/integrations'),
      api('GET', `/api/v1/events?limit=${EVENT_LIMIT}`),
    ]);
    providers = new Map(providerList.providers.map((provider) => [provider.id, provider]));
    integrationNames = new Map(integrationList.integrations.map((integration) => [integration.id, integration.name]));
    const rendered = await Promise.all(
      integrationList.integrations.map(async (integration) => {
        const path = `/api/v1/integrations/${encodeURIComponent(integration.id)}`;
        const [health, status] = await Promise.all([
          api('GET', `${path}/health`).catch(() => undefined),
          api('GET', `${path}/status`).catch(() => undefined),
        ]);
        const node = card(integration, health, status);
        const previous = options.errors?.get(integration.id);
        if (previous) node.querySelector('.error').textContent = previous;
        return node;
      }),
    );
    cards.replaceChildren(...rendered);
    element('no-integrations').hidden = rendered.length > 0;
    eventsBody.replaceChildren(...eventList.events.map(eventRow));
    content.hidden = false;
    if (options.focus !== undefined) {
      cards.querySelector(`[data-integration-id="${CSS.escape(options.focus)}"] input[role="switch"]`)?.focus();
    }
    if (!options.keepMessage)
      say(`${rendered.length} integration${rendered.length === 1 ? '' : 's'}; updated ${new Date().toLocaleTimeString()}.`);
  } catch (failure) {
    if (failure instanceof ApiError && failure.status === 401) return;
    say(`Could not load the dashboard: ${failure.message}`);
  }
}

function openConfigure(integration) {
  editing = integration;
  configureForm.elements.name.value = integration.name;
  configureForm.elements.settings.value = JSON.stringify(integration.settings ?? {}, null, 2);
  configureError.textContent = '';
  element('configure-title').textContent = `Configure ${integration.name}`;
  dialog.showModal();
}

configureForm.addEventListener('submit', async (event) => {
  event.preventDefault();
  if (editing === undefined) return;
  let settings;
  try {
    settings = JSON.parse(configureForm.elements.settings.value || '{}');
  } catch {
    configureError.textContent = 'Settings must be valid JSON.';
    return;
  }
  if (typeof settings !== 'object' || settings === null || Array.isArray(settings)) {
    configureError.textContent = 'Settings must be a JSON object.';
    return;
  }
  try {
    const updated = await api('PATCH', `/api/v1/integrations/${encodeURIComponent(editing.id)}`, {
      name: configureForm.elements.name.value,
      settings,
    });
    dialog.close();
    say(`${updated.name}: saved.`);
    await refresh({ keepMessage: true });
  } catch (failure) {
    configureError.textContent = failure.message;
  }
});
element('configure-cancel').addEventListener('click', () => dialog.close());
dialog.addEventListener('close', () => {
  editing = undefined;
});

keyForm.addEventListener('submit', async (event) => {
  event.preventDefault();
  const key = keyForm.elements.key.value.trim();
  if (key === '') return;
  sessionStorage.setItem(KEY_STORAGE, key);
  keyForm.reset();
  await start();
});
element('forget-key').addEventListener('click', () => signOut('Key forgotten.'));
element('refresh').addEventListener('click', () => refresh());

async function start() {
  if (apiKey() === '') {
    signOut('Enter an API key (read scope to look; admin to switch and configure).');
    return;
  }
  keyForm.hidden = true;
  element('session').hidden = false;
  await refresh();
}

await start();
