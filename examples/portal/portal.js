// An example portal driving Dispatch Desk through postMessage (docs/embed.md).
// The console's address comes from ?console=… (default: the demo's).
"use strict";

const consoleUrl = new URL(
  new URLSearchParams(location.search).get("console") || "http://127.0.0.1:8080/"
);
const frame = document.getElementById("desk");
const log = document.getElementById("log");
const pending = new Map();
let nextId = 1;

/** Every message from the console, in order (the end-to-end tests read it). */
window.deskMessages = [];

/** Sends a command; resolves with its answer (`ok` true or false). */
function command(name, args) {
  const id = String(nextId++);
  return new Promise((resolve) => {
    pending.set(id, resolve);
    frame.contentWindow.postMessage(
      { dispatchDesk: 1, id, command: name, args: args || {} },
      consoleUrl.origin // never "*": only the console may read it
    );
  });
}
window.deskCommand = command;

window.addEventListener("message", (event) => {
  // Only the console's origin, only from its frame.
  if (event.origin !== consoleUrl.origin || event.source !== frame.contentWindow) return;
  const message = event.data;
  if (!message || message.dispatchDesk !== 1) return;
  window.deskMessages.push(message);
  log.textContent += JSON.stringify(message) + "\n";
  if ("id" in message && pending.has(message.id)) {
    pending.get(message.id)(message);
    pending.delete(message.id);
  }
  if (message.event === "ready") {
    document.getElementById("portal-ready").textContent =
      "console ready (protocol " + message.data.version + ")";
  }
});

document.getElementById("portal-login").onclick = async () => {
  // The portal hands over the credentials at run time: config.json holds none.
  await command("configure", { voice: { password: "123456" }, calls: { accessToken: "demo-token" } });
  await command("voice.login", { account: "zydd" });
};
document.getElementById("portal-call").onclick = () =>
  command("ptt.start", { terminals: [169918, 169919] });
const talk = document.getElementById("portal-talk");
talk.onpointerdown = () => command("ptt.talk", { pressed: true });
talk.onpointerup = () => command("ptt.talk", { pressed: false });
document.getElementById("portal-hangup").onclick = () => command("ptt.hangUp");
document.getElementById("portal-compact").onclick = () => command("layout", { mode: "compact" });

// ?allow=none frames the console without the microphone (to see how it says so).
if (new URLSearchParams(location.search).get("allow") === "none") frame.removeAttribute("allow");
frame.onload = () => { window.deskFrameLoaded = true; };
frame.src = consoleUrl.href;
