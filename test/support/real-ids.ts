/** Real-looking GUIDs for the test fixtures' placeholder IDs, which strict mode and the bootstrap refuse. */
export const REAL_IDS: Readonly<Record<string, string>> = {
  '11111111-1111-1111-1111-111111111111': '5f0c6d2e-8a41-4b7e-9c3d-2e1f0a9b8c7d',
  '22222222-2222-2222-2222-222222222222': '6a1d7e3f-9b52-4c8f-8d4e-3f2a1b0c9d8e',
  '33333333-3333-3333-3333-333333333333': '7b2e8f40-ac63-4d90-9e5f-4a3b2c1d0e9f',
  '00000000-0000-0000-0000-000000000000': '72f988bf-86f1-41af-91ab-2d7cd011db47',
  'aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa': '0b9e2f4c-3d1a-4e5b-8f6c-7a8d9e0f1a2b',
  'bbbbbbbb-bbbb-bbbb-bbbb-bbbbbbbbbbbb': '9c4d7e1f-2a3b-4c5d-8e9f-0a1b2c3d4e5f',
};

/** An environment file's text with every placeholder GUID replaced by its real-looking one. */
export const withRealIds = (text: string): string =>
  text.replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, (id) => REAL_IDS[id] ?? id);
