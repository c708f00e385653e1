-- Facts about the provider connection that every instance must see (issue #10): "the API key was rejected",
-- so the banner shows on every instance, not just the one whose follower met the 401. Not modelled by Prisma.
CREATE TABLE "DeploymentState" (
    "name" TEXT NOT NULL PRIMARY KEY,
    "value" TEXT,
    "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP
);
