// The log pane's scrolling, which only the browser can do: follow the end while the person is at it, stop once they scroll up.
const slack = 24;

function atEnd(box) {
  return box.scrollHeight - box.scrollTop - box.clientHeight < slack;
}

function mark(box, following) {
  box.dataset.following = following ? "true" : "false";
}

export function attach(box) {
  mark(box, true);
  box.addEventListener("scroll", () => mark(box, atEnd(box)));
  // New lines arrive as DOM changes; while following, the end stays in view.
  new MutationObserver(() => {
    if (box.dataset.following === "true") {
      box.scrollTop = box.scrollHeight;
    }
  }).observe(box, { childList: true, subtree: true });
  box.scrollTop = box.scrollHeight;
}

export function follow(box) {
  mark(box, true);
  box.scrollTop = box.scrollHeight;
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
