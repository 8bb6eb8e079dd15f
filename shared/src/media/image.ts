// Image metadata without native code: pixel size, and stripping what a photo carries besides its
// pixels (EXIF with GPS position and camera serials, XMP, IPTC, comments). Walks the container
// formats (JPEG marker segments, PNG chunks, WebP RIFF chunks) and copies the parts that draw the
// image. A file that does not parse is refused rather than stored half-understood.
import { ValidationError } from "../errors.js";
import type { SniffableType } from "../contracts/attachments.js";

export interface ImageSize {
  width: number;
  height: number;
}

const bad = (what: string) => new ValidationError(`The image could not be read (${what})`);

// ---- JPEG ------------------------------------------------------------------------------------
// Segments kept: APP0 (JFIF), APP2 (ICC colour profile), APP14 (Adobe colour transform, needed to
// decode CMYK/YCCK), and every non-APP segment (tables, frame, scan). Dropped: APP1 (EXIF, XMP),
// APP3-APP13 (APP13 is Photoshop/IPTC), APP15, COM (comments).
const KEEP_APP = new Set([0xe0, 0xe2, 0xee]);
// SOFn markers carry the frame size; C4 (DHT), C8 (JPG) and CC (DAC) share the range but are not frames.
const isSof = (m: number) => m >= 0xc0 && m <= 0xcf && m !== 0xc4 && m !== 0xc8 && m !== 0xcc;

export function processJpeg(bytes: Uint8Array): { bytes: Uint8Array; size: ImageSize } {
  if (bytes[0] !== 0xff || bytes[1] !== 0xd8) throw bad("no JPEG start marker");
  const out: Uint8Array[] = [bytes.subarray(0, 2)];
  let size: ImageSize | null = null;
  let i = 2;
  for (;;) {
    if (i + 4 > bytes.byteLength) throw bad("truncated before the image data");
    if (bytes[i] !== 0xff) throw bad("marker expected");
    let marker = bytes[i + 1]!;
    // Fill bytes (0xFF repeated) may precede a marker.
    while (marker === 0xff && i + 2 < bytes.byteLength) {
      i++;
      marker = bytes[i + 1]!;
    }
    if (marker === 0xd9) throw bad("no image data");
    // Standalone markers (TEM, RSTn) have no length.
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      out.push(bytes.subarray(i, i + 2));
      i += 2;
      continue;
    }
    const length = (bytes[i + 2]! << 8) | bytes[i + 3]!;
    if (length < 2 || i + 2 + length > bytes.byteLength) throw bad("segment past the end");
    const end = i + 2 + length;
    if (isSof(marker)) {
      if (length < 7) throw bad("short frame header");
      size = { height: (bytes[i + 5]! << 8) | bytes[i + 6]!, width: (bytes[i + 7]! << 8) | bytes[i + 8]! };
    }
    if (marker === 0xda) {
      // Start of scan: entropy-coded data and the rest of the file are the picture, copied as is.
      out.push(bytes.subarray(i));
      break;
    }
    const isApp = marker >= 0xe0 && marker <= 0xef;
    if (!(isApp && !KEEP_APP.has(marker)) && marker !== 0xfe) out.push(bytes.subarray(i, end));
    i = end;
  }
  if (!size || size.width === 0 || size.height === 0) throw bad("no frame size");
  return { bytes: Buffer.concat(out), size };
}

/** The JPEG's APPn/COM segment markers, in order (for tests and diagnostics). */
export function jpegSegmentMarkers(bytes: Uint8Array): number[] {
  const markers: number[] = [];
  let i = 2;
  while (i + 4 <= bytes.byteLength && bytes[i] === 0xff) {
    const marker = bytes[i + 1]!;
    if (marker === 0xda || marker === 0xd9) break;
    markers.push(marker);
    i += 2 + ((bytes[i + 2]! << 8) | bytes[i + 3]!);
  }
  return markers;
}

// ---- PNG ---------------------------------------------------------------------------------------
// Ancillary chunks that describe rather than draw: EXIF, text (often XMP or software/GPS notes), time.
const PNG_DROP = new Set(["eXIf", "tEXt", "zTXt", "iTXt", "tIME"]);

export function processPng(bytes: Uint8Array): { bytes: Uint8Array; size: ImageSize } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: Uint8Array[] = [bytes.subarray(0, 8)];
  let size: ImageSize | null = null;
  let i = 8;
  let ended = false;
  while (i + 12 <= bytes.byteLength) {
    const length = view.getUint32(i);
    const type = String.fromCharCode(...bytes.subarray(i + 4, i + 8));
    const end = i + 12 + length;
    if (end > bytes.byteLength) throw bad("chunk past the end");
    if (type === "IHDR") size = { width: view.getUint32(i + 8), height: view.getUint32(i + 12) };
    if (!PNG_DROP.has(type)) out.push(bytes.subarray(i, end));
    i = end;
    if (type === "IEND") {
      ended = true;
      break;
    }
  }
  // Bytes after IEND are no part of the image (a classic place to hide a second file): dropped.
  if (!ended) throw bad("no end chunk");
  if (!size || size.width === 0 || size.height === 0) throw bad("no header chunk");
  return { bytes: Buffer.concat(out), size };
}

// ---- GIF ---------------------------------------------------------------------------------------
export function gifSize(bytes: Uint8Array): ImageSize {
  if (bytes.byteLength < 10) throw bad("short header");
  const size = { width: bytes[6]! | (bytes[7]! << 8), height: bytes[8]! | (bytes[9]! << 8) };
  if (size.width === 0 || size.height === 0) throw bad("zero size");
  return size;
}

// ---- WebP --------------------------------------------------------------------------------------
export function processWebp(bytes: Uint8Array): { bytes: Uint8Array; size: ImageSize } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const chunks: Uint8Array[] = [];
  let size: ImageSize | null = null;
  let vp8x: Uint8Array | null = null;
  let i = 12;
  const riffEnd = Math.min(bytes.byteLength, 8 + view.getUint32(4, true));
  while (i + 8 <= riffEnd) {
    const type = String.fromCharCode(...bytes.subarray(i, i + 4));
    const length = view.getUint32(i + 4, true);
    const end = i + 8 + length + (length & 1);
    if (i + 8 + length > bytes.byteLength) throw bad("chunk past the end");
    const data = i + 8;
    if (type === "VP8X" && length >= 10) {
      size = { width: 1 + (bytes[data + 4]! | (bytes[data + 5]! << 8) | (bytes[data + 6]! << 16)), height: 1 + (bytes[data + 7]! | (bytes[data + 8]! << 8) | (bytes[data + 9]! << 16)) };
    } else if (type === "VP8 " && !size && length >= 10) {
      size = { width: view.getUint16(data + 6, true) & 0x3fff, height: view.getUint16(data + 8, true) & 0x3fff };
    } else if (type === "VP8L" && !size && length >= 5) {
      const b = view.getUint32(data + 1, true);
      size = { width: (b & 0x3fff) + 1, height: ((b >> 14) & 0x3fff) + 1 };
    }
    if (type !== "EXIF" && type !== "XMP ") {
      const chunk = Uint8Array.from(bytes.subarray(i, Math.min(end, bytes.byteLength)));
      if (type === "VP8X") vp8x = chunk;
      chunks.push(chunk);
    }
    i = end;
  }
  if (!size || size.width === 0 || size.height === 0) throw bad("no frame size");
  // The extended header's flags announce EXIF (bit 3) and XMP (bit 2): clear them with the chunks gone.
  if (vp8x) vp8x[8] = vp8x[8]! & ~0x0c;
  const body = Buffer.concat(chunks);
  const header = Buffer.alloc(12);
  header.write("RIFF", 0, "latin1");
  header.writeUInt32LE(4 + body.byteLength, 4);
  header.write("WEBP", 8, "latin1");
  return { bytes: Buffer.concat([header, body]), size };
}

/** Strips metadata (JPEG, PNG, WebP) and reads the pixel size of an image of a sniffed type. */
export function processImage(type: SniffableType, bytes: Uint8Array): { bytes: Uint8Array; size: ImageSize } {
  switch (type) {
    case "image/jpeg":
      return processJpeg(bytes);
    case "image/png":
      return processPng(bytes);
    case "image/webp":
      return processWebp(bytes);
    case "image/gif":
      return { bytes, size: gifSize(bytes) };
    default:
      throw new ValidationError(`${type} is not an image`);
  }
}
