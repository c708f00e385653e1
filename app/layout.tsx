import type { Metadata, Viewport } from 'next';
import type { ReactNode } from 'react';
import { DemoBanner } from '@/components/demo-banner';
import { isDemoMode } from '@/lib/freepik/connection';
import { Providers } from './providers';
import './globals.css';

export const metadata: Metadata = {
  title: 'Darkroom',
  description: 'A self-hosted studio for Freepik RunWay text-to-image.',
};

export const viewport: Viewport = {
  themeColor: [
    { media: '(prefers-color-scheme: dark)', color: '#0a0a0a' },
    { media: '(prefers-color-scheme: light)', color: '#fafafa' },
  ],
  width: 'device-width',
  initialScale: 1,
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body className="min-h-dvh bg-neutral-950 text-neutral-100 antialiased">
        {isDemoMode() && <DemoBanner />}
        <Providers>{children}</Providers>
      </body>
    </html>
  );
}
