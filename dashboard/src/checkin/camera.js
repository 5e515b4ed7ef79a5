// The back camera, read continuously for QR codes: the browser's BarcodeDetector where it has one, else jsQR
// (bundled at build time; Chromium on Linux and Firefox have no BarcodeDetector). A code held before the camera is
// reported once; it is reported again only after it was out of sight for HOLD_MS, so a badge that stays in view while
// the person walks through is one scan, and showing it again later is a new scan (which the window calls duplicate).
import jsQR from 'jsqr';

const HOLD_MS = 3000;
// decoding a 640-pixel frame takes jsQR tens of ms on a phone; a smaller copy keeps up with the frame rate
const MAX_WIDTH = 640;

async function detectorFor() {
  if (!('BarcodeDetector' in globalThis)) return null;
  try {
    const formats = await globalThis.BarcodeDetector.getSupportedFormats();
    return formats.includes('qr_code') ? new globalThis.BarcodeDetector({ formats: ['qr_code'] }) : null;
  } catch {
    return null;
  }
}

/**
 * Starts the camera on {@code video}; calls {@code onCode(text, decodedAt)} once per code shown.
 * @returns {{ torch: null | ((on: boolean) => Promise<void>), stop: () => void }}
 */
export async function startCamera(video, onCode) {
  const stream = await navigator.mediaDevices.getUserMedia({
    video: { facingMode: { ideal: 'environment' }, width: { ideal: 1280 }, height: { ideal: 720 } }, audio: false,
  });
  video.srcObject = stream;
  video.muted = true;
  video.playsInline = true;
  await video.play();
  const [track] = stream.getVideoTracks();
  const detector = await detectorFor();
  const canvas = document.createElement('canvas');
  const context = canvas.getContext('2d', { willReadFrequently: true });
  const seen = new Map(); // code -> last time in view
  let stopped = false;

  const decode = async () => {
    if (detector) {
      const codes = await detector.detect(video);
      return codes.map((c) => c.rawValue);
    }
    const scale = Math.min(1, MAX_WIDTH / video.videoWidth);
    canvas.width = Math.round(video.videoWidth * scale);
    canvas.height = Math.round(video.videoHeight * scale);
    context.drawImage(video, 0, 0, canvas.width, canvas.height);
    const image = context.getImageData(0, 0, canvas.width, canvas.height);
    const code = jsQR(image.data, image.width, image.height, { inversionAttempts: 'dontInvert' });
    return code ? [code.data] : [];
  };

  const frame = async () => {
    if (stopped) return;
    if (video.videoWidth > 0) {
      const now = performance.now();
      for (const text of await decode().catch(() => [])) {
        const last = seen.get(text);
        seen.set(text, now);
        if (last === undefined || now - last > HOLD_MS) onCode(text, performance.now()); // after the decode
      }
      if (seen.size > 32) for (const [text, at] of seen) if (now - at > HOLD_MS) seen.delete(text);
    }
    next();
  };
  const next = () => {
    if (stopped) return;
    if (video.requestVideoFrameCallback) video.requestVideoFrameCallback(frame);
    else requestAnimationFrame(frame);
  };
  next();

  const capabilities = track.getCapabilities ? track.getCapabilities() : {};
  return {
    torch: capabilities.torch ? (on) => track.applyConstraints({ advanced: [{ torch: on }] }) : null,
    stop: () => {
      stopped = true;
      stream.getTracks().forEach((t) => t.stop());
    },
  };
}
