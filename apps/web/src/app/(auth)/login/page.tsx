import type { Metadata } from "next";
import { Suspense } from "react";
import { AuthForm } from "../_components/auth-form.tsx";

export const metadata: Metadata = { title: "Log in" };

export default function LoginPage() {
  return (
    <Suspense>
      <AuthForm mode="login" />
    </Suspense>
  );
}
