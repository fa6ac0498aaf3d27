/* The office's own images and videos, one after another; the welcome panel when there are none or all fail. */
import { clear, h } from "loket/dom.js";
import { $ } from "./state.js";
import { slideSeconds } from "./hall.js";
import { fitOffice } from "./fit.js";

var VIDEO_GUARD_MS = 15 * 60 * 1000;

var media = { items: [], key: null, index: -1, timer: null, failures: 0 };

export function setMedia(items) {
  items = (items || []).filter(function (m) {
    return m && m.url;
  });
  var key = JSON.stringify(items);
  if (key === media.key) return;
  media.key = key;
  media.items = items;
  media.index = -1;
  media.failures = 0;
  nextMedia();
}

function nextMedia() {
  clearTimeout(media.timer);
  var stage = clear($("media-stage"));
  if (!media.items.length || media.failures >= media.items.length) {
    $("media").setAttribute("data-showing", "placeholder");
    $("media-placeholder").hidden = false;
    stage.hidden = true;
    fitOffice();
    if (media.items.length) {
      // every file failed: try again later, calmly
      media.timer = setTimeout(function () {
        media.failures = 0;
        nextMedia();
      }, 60000);
    }
    return;
  }
  media.index = (media.index + 1) % media.items.length;
  var item = media.items[media.index];
  var failed = function () {
    media.failures += 1;
    clearTimeout(media.timer);
    media.timer = setTimeout(nextMedia, 500);
  };
  var node;
  if (item.kind === "video") {
    node = h("video", { class: "d-media-item", src: item.url, playsinline: true, preload: "auto" });
    node.muted = true; // the hall hears the calls, not the videos
    node.addEventListener("ended", function () {
      media.failures = 0;
      nextMedia();
    });
    node.addEventListener("error", failed);
    media.timer = setTimeout(nextMedia, VIDEO_GUARD_MS);
    var p = node.play();
    if (p && typeof p.catch === "function") p.catch(failed);
  } else {
    node = h("img", { class: "d-media-item", src: item.url, alt: "" });
    node.addEventListener("load", function () {
      media.failures = 0;
    });
    node.addEventListener("error", failed);
    media.timer = setTimeout(nextMedia, slideSeconds * 1000);
  }
  node.setAttribute("data-media-index", String(media.index));
  stage.appendChild(node);
  stage.hidden = false;
  $("media-placeholder").hidden = true;
  $("media").setAttribute("data-showing", item.kind === "video" ? "video" : "image");
}
