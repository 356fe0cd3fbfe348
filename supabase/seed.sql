-- Seed for `supabase db reset`. Stowage stores only ciphertext, which only a browser can produce,
-- so there is no SQL seed data: `npm start` creates its demo account through the API instead.
select 1;
