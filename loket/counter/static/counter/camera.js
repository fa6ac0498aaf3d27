/* The webcam: frames go to the server, which finds the ticket's QR (POST /api/scan/frame). */
import { $ } from "loket/dom.js";
import { t, fmt } from "loket/i18n.js";
import { api } from "loket/request.js";
import { say, openTicket } from "./context.js";

const FRAME_MS = 400;
const cam = { stream: null, timer: null, canvas: null };

function cameraStatus(text, kind) {
  const node = $("camera-status");
  node.textContent = text;
  node.setAttribute("data-kind", kind || "info");
}

function cameraError(err) {
  const name = err && err.name;
  const key =
    name === "NotAllowedError" || name === "SecurityError"
      ? "camera_denied"
      : name === "NotFoundError" || name === "OverconstrainedError"
        ? "camera_none"
        : name === "NotReadableError"
          ? "camera_busy"
          : null;
  return key ? t(key) : fmt("camera_failed", { message: (err && err.message) || String(err) });
}

/** No picture to show: just the reason, beside the video and as a message. */
function cameraFailed(text) {
  $("camera-video").hidden = true;
  cameraStatus(text, "error");
  say(text, "error");
}

async function startCamera() {
  if (cam.stream) return;
  $("camera-box").hidden = false;
  $("camera-video").hidden = false;
  $("camera-start").setAttribute("aria-pressed", "true");
  if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
    cameraFailed(t("camera_unsupported"));
    return;
  }
  cameraStatus(t("camera_starting"));
  let stream;
  try {
    stream = await navigator.mediaDevices.getUserMedia({ video: { width: { ideal: 1280 }, height: { ideal: 720 } }, audio: false });
  } catch (err) {
    cameraFailed(cameraError(err));
    return;
  }
  if ($("camera-box").hidden) {
    stream.getTracks().forEach((tr) => tr.stop()); // stopped while the browser asked
    return;
  }
  cam.stream = stream;
  const video = $("camera-video");
  video.srcObject = stream;
  video.play()?.catch(() => {});
  cameraStatus(t("camera_looking"));
  cam.timer = setTimeout(grabFrame, FRAME_MS);
}

/** Stop the camera and hide its box (also when the officer leaves the desk). */
export function stopCamera() {
  clearTimeout(cam.timer);
  cam.timer = null;
  if (cam.stream) cam.stream.getTracks().forEach((tr) => tr.stop());
  cam.stream = null;
  $("camera-video").srcObject = null;
  $("camera-box").hidden = true;
  $("camera-start").setAttribute("aria-pressed", "false");
}

function nextFrame() {
  if (cam.stream) cam.timer = setTimeout(grabFrame, FRAME_MS);
}

function grabFrame() {
  const video = $("camera-video");
  if (!cam.stream) return;
  if (video.readyState < 2 || !video.videoWidth) return nextFrame();
  const canvas = cam.canvas || (cam.canvas = document.createElement("canvas"));
  canvas.width = video.videoWidth;
  canvas.height = video.videoHeight;
  canvas.getContext("2d").drawImage(video, 0, 0, canvas.width, canvas.height);
  canvas.toBlob(sendFrame, "image/jpeg", 0.8);
}

async function sendFrame(blob) {
  if (!blob || !cam.stream) return nextFrame();
  try {
    const data = await api("POST", "/api/scan/frame", blob);
    if (!cam.stream) return;
    if (data && data.found && data.ticket) {
      stopCamera();
      openTicket(data.ticket);
      say(fmt("loaded", { number: data.ticket.number }), "ok");
      return;
    }
    cameraStatus(t("camera_looking"));
  } catch (err) {
    // a forged or other-office code, or a network hiccup: say so and keep looking
    cameraStatus(err.message, "error");
  }
  nextFrame();
}

$("camera-start").addEventListener("click", () => {
  if (cam.stream || !$("camera-box").hidden) stopCamera();
  else startCamera();
});
$("camera-stop").addEventListener("click", stopCamera);
