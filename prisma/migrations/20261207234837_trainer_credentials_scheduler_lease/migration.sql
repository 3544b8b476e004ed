-- AlterTable
ALTER TABLE "Trainer" ADD COLUMN     "credentialHash" TEXT,
ADD COLUMN     "enrollRequestedAt" TIMESTAMPTZ(3),
ADD COLUMN     "enrolledAt" TIMESTAMPTZ(3),
ADD COLUMN     "reportedAttempts" TEXT[] DEFAULT ARRAY[]::TEXT[],
ALTER COLUMN "lastSeenAt" DROP NOT NULL;

-- CreateTable
CREATE TABLE "SchedulerLease" (
    "name" TEXT NOT NULL,
    "holder" TEXT NOT NULL,
    "expiresAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "SchedulerLease_pkey" PRIMARY KEY ("name")
);
