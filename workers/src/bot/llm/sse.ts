// Server-sent events framing (the subset OpenAI-compatible servers use): events are separated by
// a blank line; `data:` lines of one event are joined with "\n"; lines starting with ":" are
// comments (keep-alives). Other fields (event:, id:, retry:) carry nothing we need.

/** Yields the data payload of each event in `body`, in order. */
export async function* sseData(body: AsyncIterable<Uint8Array>): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  let buffer = "";
  let data: string[] = [];
  for await (const chunk of body) {
    buffer += decoder.decode(chunk, { stream: true });
    let newline: number;
    while ((newline = buffer.search(/\r\n|\r|\n/)) !== -1) {
      const line = buffer.slice(0, newline);
      // A lone "\r" at the end of the buffer may be the first half of "\r\n": wait for more.
      if (buffer[newline] === "\r" && newline === buffer.length - 1) break;
      buffer = buffer.slice(newline + (buffer.startsWith("\r\n", newline) ? 2 : 1));
      if (line === "") {
        if (data.length > 0) yield data.join("\n");
        data = [];
      } else if (line.startsWith("data:")) {
        data.push(line.slice(5).replace(/^ /, ""));
      }
    }
  }
  buffer += decoder.decode();
  if (buffer.startsWith("data:")) data.push(buffer.slice(5).replace(/^ /, ""));
  if (data.length > 0) yield data.join("\n");
}
