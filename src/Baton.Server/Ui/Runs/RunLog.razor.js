// The log pane's scrolling, which only the browser can do: follow the end while the person is at it, stop once they scroll up.
const slack = 24;

function atEnd(box) {
  return box.scrollHeight - box.scrollTop - box.clientHeight < slack;
}

function mark(box, following) {
  box.dataset.following = following ? "true" : "false";
}

// Where the pane itself last put the scroll position while following, per box.
const pinned = new WeakMap();

function toEnd(box) {
  box.scrollTop = box.scrollHeight;
  pinned.set(box, box.scrollTop);
}

export function attach(box) {
  mark(box, true);
  box.addEventListener("scroll", () => mark(box, atEnd(box)));
  // New lines arrive as DOM changes; while following, the end stays in view. The scroll event that says the person moved
  // comes a frame late, so a line arriving in between would see "following" still and pull them back to the end: a
  // position above where the pane left it, and not at the end, is the person's, and ends following at once.
  new MutationObserver(() => {
    if (box.dataset.following !== "true") {
      return;
    }
    if (!atEnd(box) && box.scrollTop < (pinned.get(box) ?? 0)) {
      mark(box, false);
      return;
    }
    toEnd(box);
  }).observe(box, { childList: true, subtree: true });
  toEnd(box);
}

export function follow(box) {
  mark(box, true);
  toEnd(box);
}

// Brings a line (or a mark) to the middle of the box without scrolling the page, and stops following.
export function reveal(box, selector) {
  const target = box.querySelector(selector);
  if (!target) {
    return false;
  }
  mark(box, false);
  const offset = target.getBoundingClientRect().top - box.getBoundingClientRect().top + box.scrollTop;
  box.scrollTop = Math.max(0, offset - box.clientHeight / 2);
  return true;
}
