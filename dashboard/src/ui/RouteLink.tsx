// A link to a page of the app: a real href (open in a new tab, copy the address) that navigates in
// place on a plain click.
import type { AnchorHTMLAttributes, ReactNode } from "react";
import { hrefFor, navigate, type Route } from "../app/router";

export function RouteLink({ route, children, ...rest }: { route: Route; children: ReactNode } & Omit<AnchorHTMLAttributes<HTMLAnchorElement>, "href" | "onClick">) {
  return (
    <a
      {...rest}
      href={hrefFor(route)}
      onClick={(e) => {
        // Modified clicks (new tab, new window) are the browser's.
        if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
        e.preventDefault();
        navigate(route);
      }}
    >
      {children}
    </a>
  );
}
