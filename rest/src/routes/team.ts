// Team management. Everyone may list the team (agents without emails, so they can assign to a
// colleague); owners and admins manage agents; only the owner manages admins; the owner can be
// neither demoted nor removed.
import {
  ConflictError,
  ForbiddenError,
  hashPassword,
  NotFoundError,
  plainName,
  publicBaseUrl,
  randomSecret,
  teamInviteResponseSchema,
  teamPageSchema,
  sendInBackground,
  userSchema,
  type User,
} from "@kaleem/shared";
import { z } from "zod";
import type { Caller } from "../http/state.js";
import { defineRoute, type AnyRoute } from "../http/route.js";
import { emailSchema, idParams, pageQuery, passwordSchema } from "./schemas.js";
import { auditAction } from "./support.js";

const MANAGERS = ["owner", "admin"] as const;
const memberRole = z.enum(["admin", "agent"]);

const isManager = (caller: Caller) => (MANAGERS as readonly string[]).includes(caller.role);

/** Throws unless `caller` may change `target` in the ways described. */
function assertCanManage(caller: Caller, target: User, change: { role?: "admin" | "agent"; remove?: boolean; self: boolean }): void {
  if (target.role === "owner") {
    if (change.remove) throw new ForbiddenError("The owner cannot be removed");
    if (change.role) throw new ForbiddenError("The owner's role cannot be changed");
    if (!change.self) throw new ForbiddenError("Only the owner can change the owner's account");
    return;
  }
  if (change.self && change.role) throw new ForbiddenError("You cannot change your own role");
  if (change.self && change.remove) throw new ForbiddenError("You cannot remove yourself");
  if (caller.role !== "owner" && (target.role === "admin" || change.role === "admin") && !(change.self && !change.role)) {
    throw new ForbiddenError("Only the owner can manage admins");
  }
}

export const teamRoutes: AnyRoute[] = [
  defineRoute({
    method: "get",
    path: "/team",
    summary: "List team members (agents see only id, name and role, to assign conversations to colleagues)",
    tag: "team",
    auth: true,
    query: pageQuery,
    responses: { 200: { description: "Members", schema: teamPageSchema } },
    async handler({ caller, query }) {
      const page = await caller.store.users.list(query);
      if (isManager(caller)) return { body: page };
      return { body: { ...page, items: page.items.map(({ id, name, role }) => ({ id, name, role })) } };
    },
  }),
  defineRoute({
    method: "post",
    path: "/team",
    summary:
      "Add a team member (agent, or admin by the owner) and email them. A generated password is returned once. Emails are per store: the same person may belong to other stores.",
    tag: "team",
    auth: true,
    roles: MANAGERS,
    body: z.object({
      email: emailSchema,
      name: plainName().min(1).max(120),
      role: memberRole.default("agent"),
      password: passwordSchema.optional(),
    }),
    responses: {
      201: { description: "Member created", schema: teamInviteResponseSchema },
      409: { description: "This email is already on this store's team" },
    },
    async handler({ caller, body, ip, services, ctx }) {
      if (body.role === "admin" && caller.role !== "owner") throw new ForbiddenError("Only the owner can add admins");
      const generated = body.password === undefined ? randomSecret(12) : null;
      const passwordHash = await hashPassword(body.password ?? generated ?? "");
      let user: User;
      try {
        user = await caller.store.users.create({ email: body.email, name: body.name, role: body.role, passwordHash });
      } catch (err) {
        // Only this store's own team can collide: whether the address exists elsewhere is not ours to tell.
        if (err instanceof ConflictError) throw new ConflictError("This email is already on your team");
        throw err;
      }
      await auditAction(caller, ip, "team.invite", user.id, { email: user.email, role: user.role });
      const storeName = (await caller.store.merchant.get()).name;
      sendInBackground(services.mailer, ctx.state.log, {
        kind: "team_invite",
        to: user.email,
        subject: `You were added to ${storeName} on Kaleem`,
        text:
          `${caller.user.name} added you to the team of "${storeName}" as ${user.role}. Sign in at ${publicBaseUrl(services.deps.config)}/dashboard/ ` +
          `with this address and the password they give you.`,
      });
      return { status: 201, body: generated ? { user, password: generated } : { user } };
    },
  }),
  defineRoute({
    method: "patch",
    path: "/team/:id",
    summary: "Change a member's name, role or password",
    tag: "team",
    auth: true,
    roles: MANAGERS,
    params: idParams,
    body: z.object({
      name: plainName().min(1).max(120).optional(),
      role: memberRole.optional(),
      password: passwordSchema.optional(),
    }),
    responses: { 200: { description: "Updated member", schema: userSchema } },
    async handler({ caller, params, body, ip, services }) {
      const target = await caller.store.users.get(params.id);
      if (!target) throw new NotFoundError("User");
      const roleChange = body.role !== undefined && body.role !== target.role ? body.role : undefined;
      assertCanManage(caller, target, { role: roleChange, self: target.id === caller.user.id });
      const updated = await caller.store.users.update(target.id, {
        name: body.name,
        role: roleChange,
        passwordHash: body.password === undefined ? undefined : await hashPassword(body.password),
      });
      if (!updated) throw new NotFoundError("User");
      if (body.password !== undefined) {
        // A new password ends every session of the old one: refresh tokens, access tokens, sockets.
        await caller.store.refreshTokens.revokeAllForUser(target.id);
        await services.tokens.revokeUserSessions(target.id);
        services.deps.realtime.userRemoved(caller.claims.merchantId, target.id);
      }
      if (roleChange) await auditAction(caller, ip, "team.role_changed", target.id, { from: target.role, to: roleChange });
      if (body.name !== undefined || body.password !== undefined) {
        await auditAction(caller, ip, "team.updated", target.id, { name: body.name !== undefined, password: body.password !== undefined });
      }
      return { body: updated };
    },
  }),
  defineRoute({
    method: "delete",
    path: "/team/:id",
    summary: "Remove a member (their sessions end)",
    tag: "team",
    auth: true,
    roles: MANAGERS,
    params: idParams,
    responses: { 204: { description: "Removed" } },
    async handler({ caller, params, services, ip }) {
      const target = await caller.store.users.get(params.id);
      if (!target) throw new NotFoundError("User");
      assertCanManage(caller, target, { remove: true, self: target.id === caller.user.id });
      await caller.store.refreshTokens.revokeAllForUser(target.id);
      if (!(await caller.store.users.remove(target.id))) throw new NotFoundError("User");
      services.deps.realtime.userRemoved(caller.claims.merchantId, target.id);
      await auditAction(caller, ip, "team.removed", target.id, { email: target.email, role: target.role });
      return { status: 204 };
    },
  }),
];
