import { createContext, useCallback, useContext, useEffect, useRef, useState, type ReactNode } from "react";
import { ApiError, api } from "../api/client";
import { getMe, signOut } from "../api/endpoints";
import type { PublicMerchant, User } from "@kaleem/shared/contracts";

interface AuthState {
  status: "loading" | "signedOut" | "signedIn";
  user: User | null;
  merchant: PublicMerchant | null;
  /** Reload user and merchant (after sign-in, or after settings change the merchant). */
  reload: () => Promise<void>;
  signOut: () => Promise<void>;
  /** Set when the session ended without the user asking (refresh failed, revoked). */
  expired: boolean;
}

const AuthContext = createContext<AuthState | null>(null);

export function AuthProvider({ children }: { children: ReactNode }) {
  const [status, setStatus] = useState<AuthState["status"]>(api.session.current ? "loading" : "signedOut");
  const [user, setUser] = useState<User | null>(null);
  const [merchant, setMerchant] = useState<PublicMerchant | null>(null);
  const [expired, setExpired] = useState(false);
  const signingOut = useRef(false);

  const reload = useCallback(async () => {
    if (!api.session.current) {
      setStatus("signedOut");
      return;
    }
    try {
      const me = await getMe();
      setUser(me.user);
      setMerchant(me.merchant);
      setExpired(false);
      setStatus("signedIn");
      signingOut.current = false;
    } catch (err) {
      // Only a refusal ends the session; offline or a server error is retried while "loading" shows.
      if (err instanceof ApiError && err.status === 401) api.session.set(null);
      else if (api.session.current) setTimeout(() => void reload(), 3000);
    }
  }, []);

  useEffect(() => {
    void reload();
    return api.session.subscribe((pair) => {
      if (pair) return;
      if (!signingOut.current) setExpired(true);
      setStatus("signedOut");
      setUser(null);
      setMerchant(null);
    });
  }, [reload]);

  const doSignOut = useCallback(async () => {
    signingOut.current = true;
    setStatus("signedOut");
    setExpired(false);
    try {
      await signOut();
    } catch {
      // The local session is gone either way.
    } finally {
      signingOut.current = false;
    }
  }, []);

  return (
    <AuthContext.Provider value={{ status, user, merchant, reload, signOut: doSignOut, expired }}>{children}</AuthContext.Provider>
  );
}

export function useAuth(): AuthState {
  const ctx = useContext(AuthContext);
  if (!ctx) throw new Error("useAuth outside AuthProvider");
  return ctx;
}

export function useSignedIn(): { user: User; merchant: PublicMerchant; canManage: boolean } {
  const { user, merchant } = useAuth();
  if (!user || !merchant) throw new Error("useSignedIn before sign-in");
  return { user, merchant, canManage: user.role === "owner" || user.role === "admin" };
}
