// Sniffing and metadata stripping on bytes built here: what a file is comes from its content, and
// a stored photo keeps its pixels but loses its EXIF (GPS position), XMP, IPTC and comments.
import { describe, expect, it } from "vitest";
import { jpegSegmentMarkers, processImage, processJpeg, processPng, processWebp } from "./image.js";
import { activeContent, sniffContentType } from "./sniff.js";
import { chunk, exifWithGps, testJpeg, testPdf, testPng } from "../testing/media-files.js";

describe("content sniffing", () => {
  it("names the type from the magic bytes, whatever the file is called", () => {
    expect(sniffContentType(testJpeg())).toBe("image/jpeg");
    expect(sniffContentType(testPng())).toBe("image/png");
    expect(sniffContentType(Buffer.from("GIF89a\x01\x00\x01\x00\x00\x00\x00;", "latin1"))).toBe("image/gif");
    expect(sniffContentType(testPdf())).toBe("application/pdf");
    const webp = Buffer.concat([Buffer.from("RIFF\x1a\x00\x00\x00WEBPVP8L\x0d\x00\x00\x00\x2f\x00\x00\x00\x00", "latin1"), Buffer.alloc(9)]);
    expect(sniffContentType(webp)).toBe("image/webp");
  });

  it("an HTML page renamed .png is no image, and SVG (even with a script) is never a type we store", () => {
    expect(sniffContentType(Buffer.from("<!doctype html><html><body><script>alert(document.cookie)</script></body></html>"))).toBeNull();
    expect(sniffContentType(Buffer.from('<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'))).toBeNull();
    expect(sniffContentType(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'))).toBeNull();
  });

  it("a polyglot (a valid GIF header that is also an HTML page) is caught by the markup scan", () => {
    const gifar = Buffer.from("GIF89a/*\x01\x00\x01\x00\x00\x00\x00*/=1;<script>alert(1)</script>", "latin1");
    expect(sniffContentType(gifar)).toBe("image/gif");
    expect(activeContent(gifar, "image/gif")).toMatch(/HTML or script/);
    // A PNG with an HTML page appended after its end chunk: stripping drops the tail.
    const tail = Buffer.concat([testPng(), Buffer.from("<html><script>alert(1)</script></html>")]);
    expect(activeContent(processPng(tail).bytes, "image/png")).toBeNull();
    // A PDF that runs JavaScript when opened.
    const pdfJs = Buffer.from("%PDF-1.4\n1 0 obj << /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >> endobj\n%%EOF", "latin1");
    expect(activeContent(pdfJs, "application/pdf")).toMatch(/PDF contains scripts/);
    expect(activeContent(testPdf(), "application/pdf")).toBeNull();
    expect(activeContent(testJpeg(), "image/jpeg")).toBeNull();
  });
});

describe("image metadata", () => {
  it("a JPEG loses EXIF (GPS), IPTC and comments, keeps JFIF, tables, frame and scan byte for byte; its size is read", () => {
    const original = testJpeg();
    expect(original.includes(Buffer.from("GPS-24.7136N"))).toBe(true);
    const { bytes, size } = processJpeg(original);
    expect(size).toEqual({ width: 16, height: 8 });
    const out = Buffer.from(bytes);
    expect(out.includes(Buffer.from("Exif\0\0", "latin1"))).toBe(false);
    expect(out.includes(Buffer.from("GPS-24.7136N"))).toBe(false);
    expect(out.includes(Buffer.from("Riyadh"))).toBe(false);
    expect(out.includes(Buffer.from("shot at home"))).toBe(false);
    expect(jpegSegmentMarkers(original)).toEqual([0xe0, 0xe1, 0xed, 0xfe, 0xdb, 0xc0, 0xc4]);
    expect(jpegSegmentMarkers(out)).toEqual([0xe0, 0xdb, 0xc0, 0xc4]);
    // Everything from the start of scan on is the picture, unchanged.
    const sos = (b: Buffer) => b.subarray(b.indexOf(Buffer.from([0xff, 0xda])));
    expect(sos(out).equals(sos(original))).toBe(true);
    // Stripping twice changes nothing more.
    expect(Buffer.from(processJpeg(out).bytes).equals(out)).toBe(true);
  });

  it("a truncated or headless JPEG is refused, not stored half-read", () => {
    const jpeg = testJpeg();
    expect(() => processJpeg(jpeg.subarray(0, 30))).toThrow(/could not be read/);
    expect(() => processJpeg(Buffer.from([0xff, 0xd8, 0xff, 0xd9]))).toThrow(/could not be read/);
  });

  it("a PNG loses eXIf and text chunks and keeps its size; WebP loses EXIF and XMP and its header flags", () => {
    const png = testPng(5, 7, [chunk("eXIf", exifWithGps().subarray(4)), chunk("tEXt", Buffer.from("Comment\0GPS-24.7136N", "latin1"))]);
    const out = processPng(png);
    expect(out.size).toEqual({ width: 5, height: 7 });
    expect(Buffer.from(out.bytes).includes(Buffer.from("GPS-24.7136N"))).toBe(false);
    expect(Buffer.from(out.bytes).includes(Buffer.from("IDAT"))).toBe(true);

    const vp8x = Buffer.alloc(10);
    vp8x[0] = 0x0c; // EXIF + XMP flags
    vp8x.writeUIntLE(99, 4, 3); // width - 1
    vp8x.writeUIntLE(49, 7, 3); // height - 1
    const riffChunk = (type: string, data: Buffer) => {
      const h = Buffer.alloc(8);
      h.write(type, 0, "latin1");
      h.writeUInt32LE(data.byteLength, 4);
      return Buffer.concat([h, data, data.byteLength & 1 ? Buffer.alloc(1) : Buffer.alloc(0)]);
    };
    const body = Buffer.concat([riffChunk("VP8X", vp8x), riffChunk("VP8L", Buffer.from([0x2f, 0, 0, 0, 0])), riffChunk("EXIF", Buffer.from("GPS-24.7136N")), riffChunk("XMP ", Buffer.from("<x:xmpmeta/>"))]);
    const head = Buffer.alloc(12);
    head.write("RIFF", 0, "latin1");
    head.writeUInt32LE(4 + body.byteLength, 4);
    head.write("WEBP", 8, "latin1");
    const webp = processWebp(Buffer.concat([head, body]));
    expect(webp.size).toEqual({ width: 100, height: 50 });
    const w = Buffer.from(webp.bytes);
    expect(w.includes(Buffer.from("GPS-24"))).toBe(false);
    expect(w.includes(Buffer.from("xmpmeta"))).toBe(false);
    expect(w[20]! & 0x0c).toBe(0);
    expect(w.readUInt32LE(4)).toBe(w.byteLength - 8);
  });

  it("GIF sizes come from the logical screen", () => {
    expect(processImage("image/gif", Buffer.from("GIF89a\x20\x00\x10\x00\x00\x00\x00;", "latin1")).size).toEqual({ width: 32, height: 16 });
  });
});
