"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter, useSearchParams } from "next/navigation";
import { type FormEvent, useState } from "react";
import { Alert } from "../../../components/ui/alert.tsx";
import { Button } from "../../../components/ui/button.tsx";
import { Card } from "../../../components/ui/card.tsx";
import { TextField } from "../../../components/ui/field.tsx";
import { TextLink } from "../../../components/ui/text-link.tsx";
import { describeError, useTRPC } from "../../../trpc/react.tsx";
import { safeNextPath } from "../../_components/safe-next.ts";

/** Log-in and sign-up share one form; sign-up adds the name field. */
export function AuthForm({ mode }: { mode: "login" | "signup" }) {
  const trpc = useTRPC();
  const router = useRouter();
  const next = safeNextPath(useSearchParams().get("next"));
  const [form, setForm] = useState({ name: "", email: "", password: "" });
  const signIn = useMutation(trpc.auth.signIn.mutationOptions());
  const signUp = useMutation(trpc.auth.signUp.mutationOptions());
  const active = mode === "login" ? signIn : signUp;
  const { fields, message } = describeError(active.error);

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    try {
      if (mode === "login") await signIn.mutateAsync({ email: form.email, password: form.password });
      else await signUp.mutateAsync(form);
    } catch {
      return; // shown from the mutation's error state
    }
    router.push(mode === "signup" && next === "/runs" ? "/teams/new" : next);
    router.refresh();
  }

  const set = (key: keyof typeof form) => (e: { target: { value: string } }) =>
    setForm((f) => ({ ...f, [key]: e.target.value }));
  const other = mode === "login" ? "signup" : "login";
  const nextQuery = next !== "/runs" ? `?next=${encodeURIComponent(next)}` : "";

  return (
    <Card title={mode === "login" ? "Log in" : "Create your account"}>
      <form onSubmit={onSubmit} noValidate className="space-y-4">
        {message ? <Alert>{message}</Alert> : null}
        {mode === "signup" ? (
          <TextField
            id="name"
            label="Name"
            autoComplete="name"
            value={form.name}
            onChange={set("name")}
            error={fields.name}
          />
        ) : null}
        <TextField
          id="email"
          label="Email"
          type="email"
          autoComplete="email"
          value={form.email}
          onChange={set("email")}
          error={fields.email}
        />
        <TextField
          id="password"
          label="Password"
          type="password"
          autoComplete={mode === "login" ? "current-password" : "new-password"}
          hint={mode === "signup" ? "8 to 128 characters." : undefined}
          value={form.password}
          onChange={set("password")}
          error={fields.password}
        />
        <Button type="submit" className="w-full" disabled={active.isPending}>
          {active.isPending ? "Please wait…" : mode === "login" ? "Log in" : "Sign up"}
        </Button>
      </form>
      <p className="mt-4 text-center text-sm text-zinc-600 dark:text-zinc-400">
        {mode === "login" ? "New here? " : "Already have an account? "}
        <TextLink href={`/${other}${nextQuery}`}>
          {mode === "login" ? "Create an account" : "Log in"}
        </TextLink>
      </p>
    </Card>
  );
}
