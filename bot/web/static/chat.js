// The web chat: posts to /api/chat and shows replies. Every text goes in through textContent,
// never innerHTML, so nothing a person or an answer contains can become markup.
"use strict";

const log = document.getElementById("log");
const choicesBox = document.getElementById("choices");
const form = document.getElementById("composer");
const input = document.getElementById("text");
const sendButton = document.getElementById("send");

// ?ref= (a parent's referral code) and ?src= (a pamphlet) travel with every call.
const params = new URLSearchParams(location.search);
const arrival = {};
for (const key of ["ref", "src"]) {
  if (params.get(key)) arrival[key] = params.get(key);
}

function bubble(text, who) {
  const div = document.createElement("div");
  div.className = "bubble " + who;
  div.textContent = text;
  log.appendChild(div);
  return div;
}

// Only http(s) links and images: a "javascript:" or "data:" URL in an answer must not be clickable.
function safeUrl(url) {
  try {
    const parsed = new URL(url, location.href);
    return parsed.protocol === "https:" || parsed.protocol === "http:" ? parsed.href : null;
  } catch {
    return null;
  }
}

// A link opened in a new tab, never telling the page it came from (only http(s) URLs get here).
function linkElement(link) {
  const a = document.createElement("a");
  a.href = safeUrl(link.url);
  a.target = "_blank";
  a.rel = "noopener noreferrer";
  a.textContent = link.label;
  return a;
}

function showMessage(message) {
  const div = bubble(message.text, "bot");
  const imageUrl = message.image && safeUrl(message.image.url);
  if (imageUrl) {
    const img = document.createElement("img");
    img.src = imageUrl;
    img.alt = message.image.alt || "";
    div.appendChild(img);
  }
  const links = (message.links || []).filter((link) => safeUrl(link.url));
  if (links.length) {
    const row = document.createElement("div");
    row.className = "links";
    for (const link of links) row.appendChild(linkElement(link));
    div.appendChild(row);
  }
  for (const card of message.cards || []) div.appendChild(showCard(card));
  return div;
}

// An event card: title, its lines (date, place) and its buttons, all as text.
function showCard(card) {
  const box = document.createElement("section");
  box.className = "card";
  const title = document.createElement("h3");
  title.textContent = card.title;
  box.appendChild(title);
  for (const line of card.lines || []) {
    const p = document.createElement("p");
    p.textContent = line;
    box.appendChild(p);
  }
  const row = document.createElement("div");
  row.className = "choices";
  for (const choice of card.choices || []) {
    const button = document.createElement("button");
    button.type = "button";
    button.textContent = choice.label;
    button.addEventListener("click", () => choose(choice));
    row.appendChild(button);
  }
  for (const link of (card.links || []).filter((l) => safeUrl(l.url))) row.appendChild(linkElement(link));
  box.appendChild(row);
  return box;
}

function showChoices(choices) {
  choicesBox.replaceChildren();
  for (const choice of choices || []) {
    const button = document.createElement("button");
    button.type = "button";
    button.textContent = choice.label;
    button.addEventListener("click", () => choose(choice));
    choicesBox.appendChild(button);
  }
}

function setBusy(busy) {
  sendButton.disabled = busy;
  sendButton.textContent = busy ? "送信中…" : "送信";
  log.setAttribute("aria-busy", String(busy));
  for (const button of choicesBox.querySelectorAll("button")) button.disabled = busy;
}

// One turn: show what the person sent, post it, show the replies. Resolves to whether it worked.
async function send(body, shownAs) {
  const first = shownAs ? bubble(shownAs, "me") : null;
  first?.scrollIntoView({ block: "nearest" });
  setBusy(true);
  let ok = false;
  let crowded = false;
  let firstReply;
  try {
    const response = await fetch("/api/chat", {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ ...body, ...arrival }),
    });
    crowded = response.status === 429;
    const data = response.ok ? await response.json() : null;
    if (data) {
      for (const message of data.messages || []) {
        const shown = showMessage(message);
        firstReply ??= shown;
      }
      showChoices(data.choices);
      ok = true;
    }
  } catch {
    // a network failure or a body that isn't JSON: handled like an error status below
  }
  // The server's error texts are for developers (some in English); a visitor gets one polite sentence.
  // 429: too many new conversations from this network (or overall) this hour.
  const failure = crowded
    ? "ただいま混み合っています。しばらくしてからもう一度お試しください。"
    : "通信できませんでした。もう一度お試しください。";
  if (!ok) firstReply = bubble(failure, "bot error");
  setBusy(false);
  // Scroll the start of the turn to the top, so a long answer is read from its first line.
  (first || firstReply)?.scrollIntoView({ block: "start" });
  return ok;
}

async function choose(choice) {
  if (sendButton.disabled) return;
  if (await send({ payload: choice.payload }, choice.label)) {
    // The pressed button is gone; give keyboard users the new first choice (no keyboard pops up).
    choicesBox.querySelector("button")?.focus({ preventScroll: true });
  }
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  const text = input.value.trim();
  if (!text || sendButton.disabled) return;
  input.value = "";
  // On failure, give back what was typed (unless something new was typed meanwhile) to send again.
  if (!(await send({ text }, text)) && !input.value) input.value = text;
  input.focus({ preventScroll: true });
});

// Staff answers (after 職員に相談) can't be pushed to a web page: ask for them now and then.
async function pollStaffReplies() {
  try {
    // POST: fetching marks them delivered, which no other site's link may do.
    const response = await fetch("/api/chat/updates", {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json" },
      body: "{}",
    });
    const data = await response.json();
    for (const message of data.messages || []) showMessage(message);
  } catch {
    // offline for a moment: the next poll will fetch them
  }
}

send({ payload: "start" });
setInterval(pollStaffReplies, 15000);
