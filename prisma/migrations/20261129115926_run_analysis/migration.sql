-- CreateTable
CREATE TABLE "RunAnalysis" (
    "runId" TEXT NOT NULL,
    "result" JSONB NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "RunAnalysis_pkey" PRIMARY KEY ("runId")
);

-- AddForeignKey
ALTER TABLE "RunAnalysis" ADD CONSTRAINT "RunAnalysis_runId_fkey" FOREIGN KEY ("runId") REFERENCES "Run"("id") ON DELETE CASCADE ON UPDATE CASCADE;
