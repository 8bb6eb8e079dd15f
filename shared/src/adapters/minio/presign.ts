// AWS Signature Version 4 for query-string (presigned) URLs. The minio client presigns GETs and
// PUTs, but it never signs Content-Type (it drops that header on purpose, for browsers that
// rewrite it), so its presigned PUT would accept any type. Signing the header here makes S3 and
// MinIO refuse an upload with another Content-Type (SignatureDoesNotMatch), as the port promises.
// GETs go through the same signer so both kinds of URL are built one way, for the public host.
import { createHash, createHmac } from "node:crypto";

export interface PresignRequest {
  method: "GET" | "PUT";
  /** Origin and path of the object, e.g. https://media.example.com/bucket/m1/photo.jpg (no query). */
  url: URL;
  /** Extra query parameters to sign (e.g. response-content-disposition). */
  query?: Record<string, string>;
  /** Headers the request must carry, besides Host (which is always signed). Names in any case. */
  headers?: Record<string, string>;
  accessKey: string;
  secretKey: string;
  region: string;
  /** When the signature starts to count; expiry runs from here. */
  date: Date;
  expiresInSeconds: number;
}

/** RFC 3986 percent-encoding, as SigV4 wants it (encodeURIComponent leaves !'()* alone). */
export function uriEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

const sha256Hex = (data: string) => createHash("sha256").update(data, "utf8").digest("hex");
const hmac = (key: string | Buffer, data: string) => createHmac("sha256", key).update(data, "utf8").digest();

/** 20130524T000000Z */
function amzDate(date: Date): string {
  return date.toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "");
}

/** The URL with X-Amz-* parameters and a signature over method, path, query and the given headers. */
export function presignUrl(req: PresignRequest): string {
  if (req.url.search || req.url.hash) throw new Error("presignUrl takes a URL without query or fragment");
  const longDate = amzDate(req.date);
  const scope = `${longDate.slice(0, 8)}/${req.region}/s3/aws4_request`;
  const headers = new Map<string, string>([["host", req.url.host]]);
  for (const [name, value] of Object.entries(req.headers ?? {})) headers.set(name.toLowerCase(), value.trim().replace(/\s+/g, " "));
  const signedHeaders = [...headers.keys()].sort();

  const query: Record<string, string> = {
    ...req.query,
    "X-Amz-Algorithm": "AWS4-HMAC-SHA256",
    "X-Amz-Credential": `${req.accessKey}/${scope}`,
    "X-Amz-Date": longDate,
    "X-Amz-Expires": String(req.expiresInSeconds),
    "X-Amz-SignedHeaders": signedHeaders.join(";"),
  };
  const canonicalQuery = Object.keys(query)
    .sort()
    .map((k) => `${uriEncode(k)}=${uriEncode(query[k]!)}`)
    .join("&");
  // The path as sent: each segment encoded once, slashes kept.
  const canonicalPath = req.url.pathname
    .split("/")
    .map((s) => uriEncode(decodeURIComponent(s)))
    .join("/");
  const canonicalRequest = [
    req.method,
    canonicalPath,
    canonicalQuery,
    signedHeaders.map((h) => `${h}:${headers.get(h)}\n`).join(""),
    signedHeaders.join(";"),
    "UNSIGNED-PAYLOAD",
  ].join("\n");
  const stringToSign = ["AWS4-HMAC-SHA256", longDate, scope, sha256Hex(canonicalRequest)].join("\n");
  const signingKey = hmac(hmac(hmac(hmac(`AWS4${req.secretKey}`, longDate.slice(0, 8)), req.region), "s3"), "aws4_request");
  const signature = createHmac("sha256", signingKey).update(stringToSign, "utf8").digest("hex");
  return `${req.url.origin}${canonicalPath}?${canonicalQuery}&X-Amz-Signature=${signature}`;
}
