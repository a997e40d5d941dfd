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
  div.scrollIntoView({ block: "end" });
  return div;
}

function safeUrl(url) {
  try {
    const parsed = new URL(url, location.href);
    return parsed.protocol === "https:" || parsed.protocol === "http:" ? parsed.href : null;
  } catch {
    return null;
  }
}

function showMessage(message) {
  const div = bubble(message.text, "bot");
  if (message.image && safeUrl(message.image.url)) {
    const img = document.createElement("img");
    img.src = safeUrl(message.image.url);
    img.alt = message.image.alt || "";
    div.appendChild(img);
  }
  const links = (message.links || []).filter((link) => safeUrl(link.url));
  if (links.length) {
    const row = document.createElement("div");
    row.className = "links";
    for (const link of links) {
      const a = document.createElement("a");
      a.href = safeUrl(link.url);
      a.target = "_blank";
      a.rel = "noopener noreferrer";
      a.textContent = link.label;
      row.appendChild(a);
    }
    div.appendChild(row);
  }
}

function showChoices(choices) {
  choicesBox.replaceChildren();
  for (const choice of choices || []) {
    const button = document.createElement("button");
    button.type = "button";
    button.textContent = choice.label;
    button.addEventListener("click", () => send({ payload: choice.payload }, choice.label));
    choicesBox.appendChild(button);
  }
}

function setBusy(busy) {
  sendButton.disabled = busy;
  sendButton.textContent = busy ? "送信中…" : "送信";
  for (const button of choicesBox.querySelectorAll("button")) button.disabled = busy;
}

async function send(body, shownAs) {
  if (shownAs) bubble(shownAs, "me");
  setBusy(true);
  try {
    const response = await fetch("/api/chat", {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ ...body, ...arrival }),
    });
    const data = await response.json().catch(() => ({}));
    if (!response.ok) throw new Error(data.error || String(response.status));
    for (const message of data.messages || []) showMessage(message);
    showChoices(data.choices);
    return true;
  } catch {
    bubble("通信できませんでした。時間をおいて、もう一度お試しください。", "bot error");
    return false;
  } finally {
    setBusy(false);
  }
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  const text = input.value.trim();
  if (!text) return;
  input.value = "";
  const ok = await send({ text }, text);
  if (!ok) input.value = text; // keep what was typed so it can be sent again
  input.focus();
});

send({ payload: "start" });
