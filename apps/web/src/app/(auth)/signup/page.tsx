import type { Metadata } from "next";
import { Suspense } from "react";
import { AuthForm } from "../_components/auth-form.tsx";

export const metadata: Metadata = { title: "Sign up" };

export default function SignUpPage() {
  return (
    <Suspense>
      <AuthForm mode="signup" />
    </Suspense>
  );
}
