// The playground's chat page: plain JS, no build step. It talks to the
// simulator's JSON API and follows changes over server-sent events.

const $ = (sel) => document.querySelector(sel);
const state = {
  platforms: [],
  platform: null,
  users: [],
  user: null,
  messages: new Map(),
  keyboard: null,
  markdown: {},
};

const api = async (path, body) => {
  const res = await fetch(
    `/playground/api/${path}`,
    body === undefined
      ? {}
      : {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify(body),
        },
  );
  return res.json();
};

const usersFor = (platform) => state.users.filter((u) => !u.platform || u.platform === platform);

function fillUsers() {
  const select = $("#user");
  select.innerHTML = "";
  for (const u of usersFor(state.platform)) {
    const opt = document.createElement("option");
    opt.value = String(u.id);
    opt.textContent = `${u.first_name}${u.role === "coordinator" ? " (هماهنگ‌کننده)" : ""}`;
    select.append(opt);
  }
  if (!usersFor(state.platform).some((u) => u.id === state.user?.id)) state.user = usersFor(state.platform)[0] ?? null;
  if (state.user) select.value = String(state.user.id);
  // A coordinator persona asks the bot for a console link, as a coordinator would (/console).
  $("#console").hidden = state.user?.role !== "coordinator";
}

/** Messages the event stream brought while a chat was being read: kept over the history when it comes. */
let arrivedMeanwhile = null;

async function load() {
  if (!state.user) return;
  const whose = `${state.platform}:${state.user.id}`;
  arrivedMeanwhile = [];
  const { messages } = await api(`history?platform=${state.platform}&user=${state.user.id}`);
  const meanwhile = arrivedMeanwhile ?? [];
  arrivedMeanwhile = null;
  // Another persona was chosen while this chat was on its way: it is not drawn.
  if (whose !== `${state.platform}:${state.user?.id}`) return;
  state.messages = new Map(messages.map((m) => [m.id, m]));
  for (const m of meanwhile) state.messages.set(m.id, m);
  render();
  // Whose chat is on screen, once it is: a reader (or a test) waits for this, not for the request.
  $("#chat").dataset.user = whose;
}

function button(label, onClick) {
  const b = document.createElement("button");
  b.type = "button";
  b.textContent = label;
  b.addEventListener("click", onClick);
  return b;
}

/**
 * Plain text as a Markdown-by-default client shows it (Bale, as bale-mcp saw it
 * live): *bold* and _italic_. Built from DOM nodes, never HTML.
 */
function markdownNodes(text) {
  const nodes = [];
  const re = /\*([^*\n]+)\*|_([^_\n]+)_/g;
  let last = 0;
  for (const m of text.matchAll(re)) {
    if (m.index > last) nodes.push(document.createTextNode(text.slice(last, m.index)));
    const el = document.createElement(m[1] !== undefined ? "b" : "i");
    el.textContent = m[1] ?? m[2];
    nodes.push(el);
    last = m.index + m[0].length;
  }
  if (last < text.length) nodes.push(document.createTextNode(text.slice(last)));
  return nodes;
}

/**
 * A link to one of the playground's own bots (`…?start=<payload>`: an invitation, a check-in), opened inside the
 * page as the app would: the persona sends `/start <payload>` on that link's platform.
 */
function openInside(a, url) {
  const bot = state.platforms.find((p) => url.startsWith(p.link));
  if (!bot) return;
  a.addEventListener("click", async (e) => {
    e.preventDefault();
    // The same persona where it has that messenger, else that messenger's first persona.
    const user = usersFor(bot.id).find((u) => u.id === state.user.id) ?? usersFor(bot.id)[0];
    if (!user) return;
    if (bot.id !== state.platform) {
      document.querySelector(`[data-persona="${bot.id}"]`)?.click();
      state.user = user;
      $("#user").value = String(user.id);
      $("#user").dispatchEvent(new Event("change"));
    }
    await api("send", { platform: bot.id, user: user.id, text: `/start ${url.slice(bot.link.length)}` });
  });
}

/** Links in a bot's text, clickable as a client makes them (a console sign-in link opens in a new tab). */
function linkNodes(text, rest) {
  const nodes = [];
  text.split(/(https?:\/\/[^\s\u2069]+)/).forEach((part, i) => {
    if (i % 2 === 0) return part && nodes.push(...rest(part));
    const a = document.createElement("a");
    a.href = part;
    a.target = "_blank";
    a.rel = "noopener";
    a.className = "link";
    a.textContent = part;
    openInside(a, part);
    nodes.push(a);
  });
  return nodes;
}

/**
 * The text's commands (the platform's `bot_command` entities) as links that
 * send the command, as a client makes them tappable; the rest goes to `rest`.
 */
function commandNodes(text, commands, rest) {
  const nodes = [];
  let last = 0;
  for (const [offset, length] of commands) {
    if (offset > last) nodes.push(...rest(text.slice(last, offset)));
    const command = text.slice(offset, offset + length);
    const a = document.createElement("a");
    a.href = "#";
    a.className = "command";
    a.textContent = command;
    a.addEventListener("click", (e) => {
      e.preventDefault();
      api("send", { platform: state.platform, user: state.user.id, text: command });
    });
    nodes.push(a);
    last = offset + length;
  }
  if (last < text.length) nodes.push(...rest(text.slice(last)));
  return nodes;
}

function renderMessage(m) {
  const div = document.createElement("div");
  div.className = `msg ${m.fromBot ? "bot" : "me"}${m.deleted ? " deleted" : ""}`;
  div.dataset.id = String(m.id);
  if (m.deleted) {
    div.textContent = "این پیام حذف شد";
    return div;
  }
  if (m.photo) {
    const img = document.createElement("img");
    img.src = m.photo;
    img.alt = m.caption ?? "تصویر";
    div.append(img);
  }
  if (m.document) {
    const a = document.createElement("a");
    a.href = m.document.url;
    a.download = m.document.name;
    a.textContent = `📄 ${m.document.name}`;
    div.append(a);
  }
  // A shared contact or location as the app shows one: a Persian label, and the number or the coordinates left to
  // right in their own box (inside a right-to-left bubble «+98…» would show as «…98+», and «lat, lon» swapped).
  if (m.contact || m.location) {
    const label = document.createElement("span");
    label.textContent = m.contact ? "📱 شمارهٔ همراه: " : "📍 موقعیت: ";
    const value = document.createElement("bdi");
    value.dir = "ltr";
    value.className = m.contact ? "contact" : "location";
    value.textContent = m.contact
      ? m.contact
      : `${m.location.latitude.toFixed(4)}, ${m.location.longitude.toFixed(4)}`;
    div.append(label, value);
  }
  const text = m.text ?? m.caption ?? (m.sticker ? "🙂 استیکر" : "");
  const plain = (t) =>
    linkNodes(t, (part) => (state.markdown[state.platform] ? markdownNodes(part) : [document.createTextNode(part)]));
  if (text) div.append(...(m.text && m.commands?.length ? commandNodes(text, m.commands, plain) : plain(text)));
  const kb = m.replyMarkup?.inline_keyboard;
  if (kb) {
    const box = document.createElement("div");
    box.className = "inline-kb";
    for (const row of kb) {
      const r = document.createElement("div");
      r.className = "row";
      for (const b of row) {
        if (b.url) {
          const a = document.createElement("a");
          a.href = b.url;
          a.target = "_blank";
          a.textContent = b.text;
          openInside(a, b.url);
          r.append(a);
        } else {
          r.append(
            button(b.text, () =>
              api("press", { platform: state.platform, user: state.user.id, messageId: m.id, data: b.callback_data }),
            ),
          );
        }
      }
      box.append(r);
    }
    div.append(box);
  }
  if (m.edited) {
    const meta = document.createElement("div");
    meta.className = "meta";
    meta.textContent = "ویرایش‌شده";
    div.append(meta);
  }
  return div;
}

/** The reply keyboard is chat state: the newest bot message that sets or removes one decides. */
function currentKeyboard() {
  const bots = [...state.messages.values()].filter((m) => m.fromBot && m.replyMarkup && !m.replyMarkup.inline_keyboard);
  const last = bots.at(-1);
  if (!last || last.replyMarkup.remove_keyboard) return null;
  const usedAfter = [...state.messages.values()].some((m) => !m.fromBot && m.id > last.id);
  if (last.replyMarkup.one_time_keyboard && usedAfter) return null;
  return last.replyMarkup.keyboard ?? null;
}

function renderKeyboard() {
  const box = $("#reply-keyboard");
  const kb = currentKeyboard();
  box.innerHTML = "";
  box.hidden = !kb;
  if (!kb) return;
  for (const row of kb) {
    const r = document.createElement("div");
    r.className = "row";
    for (const b of row) {
      const label = typeof b === "string" ? b : b.text;
      r.append(
        button(label, () => {
          if (b.request_contact) return api("contact", { platform: state.platform, user: state.user.id });
          if (b.request_location) return api("location", { platform: state.platform, user: state.user.id });
          return api("send", { platform: state.platform, user: state.user.id, text: label });
        }),
      );
    }
    box.append(r);
  }
}

function render() {
  const chat = $("#chat");
  chat.innerHTML = "";
  for (const m of [...state.messages.values()].sort((a, b) => a.id - b.id)) chat.append(renderMessage(m));
  // A chat never started: what a messenger shows a new bot's visitor, a word on what to do and a «شروع» button.
  if (state.messages.size === 0 && state.user) {
    const hint = document.createElement("div");
    hint.className = "start-hint";
    const p = document.createElement("p");
    p.textContent = "این گفتگو هنوز شروع نشده است. «شروع» را بزنید تا ربات همدل خودش را معرفی کند و ثبت‌نام آغاز شود.";
    hint.append(
      p,
      button("شروع", () => api("send", { platform: state.platform, user: state.user.id, text: "/start" })),
    );
    chat.append(hint);
  }
  chat.scrollTop = chat.scrollHeight;
  renderKeyboard();
}

function toast(text, alert) {
  const t = $("#toast");
  t.textContent = text;
  t.className = alert ? "alert" : "";
  t.hidden = false;
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => (t.hidden = true), alert ? 4000 : 2500);
}

function follow() {
  const events = new EventSource("/playground/api/events");
  // A stream that dropped and came back may have missed messages: the chat is read again.
  let dropped = false;
  events.onerror = () => (dropped = true);
  events.onopen = () => {
    if (dropped) load();
    dropped = false;
  };
  events.onmessage = (e) => {
    const ev = JSON.parse(e.data);
    if (ev.platform !== state.platform || ev.userId !== state.user?.id) return;
    if (ev.type === "answer") {
      if (ev.text) toast(ev.text, ev.alert);
      return;
    }
    state.messages.set(ev.message.id, ev.message);
    arrivedMeanwhile?.push(ev.message);
    render();
  };
}

/** A platform's colours (accent, background, one's own bubble), from the capability table. */
function dress(look) {
  const root = document.documentElement.style;
  root.setProperty("--accent", look.accent);
  root.setProperty("--bg", look.background);
  root.setProperty("--me", look.mine);
}

/** One tab per platform the server runs; the first is shown. */
function tabs(platforms) {
  const box = $(".personas");
  for (const p of platforms) {
    const tab = document.createElement("button");
    tab.type = "button";
    tab.setAttribute("role", "tab");
    tab.dataset.persona = p.id;
    tab.setAttribute("aria-selected", String(p.id === state.platform));
    tab.textContent = p.name;
    tab.addEventListener("click", async () => {
      state.platform = p.id;
      delete $("#chat").dataset.user;
      document.body.dataset.platform = state.platform;
      dress(p.look);
      for (const t of box.children) t.setAttribute("aria-selected", String(t === tab));
      fillUsers();
      await load();
    });
    box.append(tab);
  }
}

/** The playground's clock (Tehran time, Persian calendar): what the bot believes "now" is. */
function showClock({ now, shiftedHours }) {
  const t = $("#now");
  t.dateTime = now;
  t.textContent = new Intl.DateTimeFormat("fa-IR-u-ca-persian", {
    timeZone: "Asia/Tehran",
    weekday: "long",
    month: "long",
    day: "numeric",
    hour: "2-digit",
    minute: "2-digit",
  }).format(new Date(now));
  t.title = shiftedHours > 0 ? `${Math.round(shiftedHours)} ساعت جلوتر از ساعت واقعی` : "ساعت واقعی";
}

async function init() {
  // The controls answer from the first moment: a choice made while the page loads is not lost.
  for (const b of document.querySelectorAll("[data-hours]"))
    b.addEventListener("click", async () => showClock(await api("clock", { hours: Number(b.dataset.hours) })));
  $("#user").addEventListener("change", async (e) => {
    delete $("#chat").dataset.user;
    state.user = state.users.find((u) => String(u.id) === e.target.value);
    $("#console").hidden = state.user?.role !== "coordinator";
    await load();
  });
  $("#new-user").addEventListener("click", async () => {
    const name = `کاربر ${(state.users.length + 1).toLocaleString("fa-IR")}`;
    const { user } = await api("users", { name });
    state.users.push(user);
    state.user = user;
    fillUsers();
    await load();
  });
  $("#console").addEventListener("click", () =>
    api("send", { platform: state.platform, user: state.user.id, text: "/console" }),
  );
  $("#sticker").addEventListener("click", () => api("sticker", { platform: state.platform, user: state.user.id }));
  $("#composer").addEventListener("submit", async (e) => {
    e.preventDefault();
    const input = $("#text");
    const text = input.value;
    if (!text.trim()) return;
    input.value = "";
    await api("send", { platform: state.platform, user: state.user.id, text });
  });
  const { users, markdown, platforms } = await api("state");
  state.platforms = platforms;
  state.users = users;
  state.markdown = markdown ?? {};
  state.platform = platforms[0].id;
  document.body.dataset.platform = state.platform;
  dress(platforms[0].look);
  tabs(platforms);
  fillUsers();
  showClock(await api("clock"));
  // The stream first: what is sent while the chat is read comes through it.
  follow();
  await load();
}

init();
