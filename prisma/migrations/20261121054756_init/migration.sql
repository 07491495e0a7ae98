-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateTable
CREATE TABLE "Plan" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "namespace" TEXT NOT NULL,
    "platform" TEXT NOT NULL,
    "currentRevision" INTEGER NOT NULL,
    "monthlyCost" DOUBLE PRECISION NOT NULL,
    "componentCount" INTEGER NOT NULL,
    "worstSeverityRank" INTEGER,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Plan_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PlanRevision" (
    "planId" UUID NOT NULL,
    "revision" INTEGER NOT NULL,
    "topology" JSON NOT NULL,
    "result" JSON NOT NULL,
    "engineVersion" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PlanRevision_pkey" PRIMARY KEY ("planId","revision")
);

-- CreateIndex
CREATE INDEX "Plan_createdAt_id_idx" ON "Plan"("createdAt" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "Plan_platform_createdAt_id_idx" ON "Plan"("platform", "createdAt" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "Plan_name_createdAt_idx" ON "Plan"("name", "createdAt" DESC);

-- AddForeignKey
ALTER TABLE "PlanRevision" ADD CONSTRAINT "PlanRevision_planId_fkey" FOREIGN KEY ("planId") REFERENCES "Plan"("id") ON DELETE CASCADE ON UPDATE CASCADE;
