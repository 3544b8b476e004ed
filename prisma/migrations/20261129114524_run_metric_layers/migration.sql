-- AlterTable
ALTER TABLE "RunMetric" ADD COLUMN     "layers" JSONB;
