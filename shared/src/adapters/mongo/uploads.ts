// Uploads on MongoDB: the URLs handed out (pending) and the attachments messages carry (stored).
// The quota is a counter on the merchant document (`uploadBytes`), moved in the same transaction
// as the upload it counts, so two claims at once cannot both fit into the last of the quota.
import type { AttachmentPart } from "../../contracts/domain.js";
import type { MerchantId, NewUpload, StoredUpload, UploadRecord, UploadRepo } from "../../ports/store.js";
import type { MongoDb } from "./db.js";
import { scoped } from "./filters.js";
import type { MerchantDoc } from "./mapping.js";

export interface UploadDoc {
  _id: string;
  merchantId: string;
  owner: string;
  name: string;
  declaredType: string;
  maxBytes: number;
  state: "pending" | "stored";
  conversationId: string | null;
  key: string | null;
  contentType: string | null;
  size: number | null;
  kind: AttachmentPart["kind"] | null;
  width: number | null;
  height: number | null;
  createdAt: string;
  expiresAt: string;
}

export const toUpload = (d: UploadDoc): UploadRecord => ({
  id: d._id,
  owner: d.owner,
  name: d.name,
  declaredType: d.declaredType,
  maxBytes: d.maxBytes,
  state: d.state,
  conversationId: d.conversationId,
  key: d.key,
  contentType: d.contentType,
  size: d.size,
  kind: d.kind,
  width: d.width,
  height: d.height,
  createdAt: d.createdAt,
  expiresAt: d.expiresAt,
});

export class MongoUploadRepo implements UploadRepo {
  constructor(
    private readonly db: MongoDb,
    private readonly m: MerchantId,
  ) {}

  private get uploads() {
    return this.db.coll<UploadDoc>("uploads");
  }
  private get merchants() {
    return this.db.coll<MerchantDoc>("merchants");
  }

  async create(input: NewUpload): Promise<UploadRecord> {
    const doc: UploadDoc = {
      _id: input.id,
      merchantId: this.m,
      owner: input.owner,
      name: input.name,
      declaredType: input.declaredType,
      maxBytes: input.maxBytes,
      state: "pending",
      conversationId: null,
      key: null,
      contentType: null,
      size: null,
      kind: null,
      width: null,
      height: null,
      createdAt: new Date().toISOString(),
      expiresAt: input.expiresAt,
    };
    return toUpload(await this.uploads.insert(doc));
  }

  async get(id: string): Promise<UploadRecord | null> {
    const doc = await this.uploads.findOne(scoped(this.m, { _id: id }));
    return doc ? toUpload(doc) : null;
  }

  async markStored(id: string, stored: StoredUpload, quotaBytes: number): Promise<"stored" | "quota" | "not_pending"> {
    return this.db.tx(async () => {
      const upload = await this.uploads.findOne(scoped(this.m, { _id: id }));
      if (upload?.state !== "pending") return "not_pending";
      const merchant = await this.merchants.findOne({ _id: this.m });
      if ((merchant?.uploadBytes ?? 0) + stored.size > quotaBytes) return "quota";
      await this.uploads.updateOne(scoped(this.m, { _id: id, state: "pending" }), { $set: { state: "stored", ...stored } });
      await this.merchants.updateOne({ _id: this.m }, { $inc: { uploadBytes: stored.size } });
      return "stored";
    });
  }

  async delete(id: string): Promise<void> {
    await this.db.tx(async () => {
      const upload = await this.uploads.findOne(scoped(this.m, { _id: id }));
      if (!upload) return;
      await this.uploads.deleteOne(scoped(this.m, { _id: id }));
      if (upload.state === "stored" && upload.size) await this.merchants.updateOne({ _id: this.m }, { $inc: { uploadBytes: -upload.size } });
    });
  }

  async usage(): Promise<number> {
    return (await this.merchants.findOne({ _id: this.m }))?.uploadBytes ?? 0;
  }
}
