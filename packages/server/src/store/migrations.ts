/** The store's schema, one list of statements per version. Never edit a released version: add one. */
export const MIGRATIONS: readonly (readonly string[])[] = [
  [
    `CREATE TABLE sso_embed_users (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      account text NOT NULL,
      tenant text NOT NULL,
      external_id text NOT NULL,
      email text,
      first_name text,
      last_name text,
      plan_id integer,
      groups text[],
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (account, tenant, external_id)
    )`,
    `CREATE TABLE sso_embed_projects (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      account text NOT NULL,
      tenant text NOT NULL,
      external_id text NOT NULL,
      name text NOT NULL,
      personal boolean NOT NULL DEFAULT false,
      tasks_limit integer,
      ai_credits_limit double precision,
      pieces_filter_type text,
      pieces_tags text[],
      admin_user_id uuid REFERENCES sso_embed_users (id) ON DELETE SET NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (account, tenant, external_id)
    )`,
    `CREATE TABLE sso_embed_memberships (
      project_id uuid NOT NULL REFERENCES sso_embed_projects (id) ON DELETE CASCADE,
      user_id uuid NOT NULL REFERENCES sso_embed_users (id) ON DELETE CASCADE,
      role text NOT NULL,
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (project_id, user_id)
    )`,
    'CREATE INDEX sso_embed_memberships_user ON sso_embed_memberships (user_id)',
    `CREATE TABLE sso_embed_token_uses (
      scope text NOT NULL,
      jti text NOT NULL,
      expires_at timestamptz NOT NULL,
      PRIMARY KEY (scope, jti)
    )`,
    'CREATE INDEX sso_embed_token_uses_expiry ON sso_embed_token_uses (expires_at)',
  ],
  // 2: profile-owned attributes instead of one profile's columns; deactivated users; sessions that end
  [
    "ALTER TABLE sso_embed_users ADD COLUMN attributes jsonb NOT NULL DEFAULT '{}'::jsonb, ADD COLUMN deactivated_at timestamptz",
    `UPDATE sso_embed_users SET attributes = jsonb_strip_nulls(jsonb_build_object('planId', plan_id, 'groups', to_jsonb(groups)))`,
    'ALTER TABLE sso_embed_users DROP COLUMN plan_id, DROP COLUMN groups',
    "ALTER TABLE sso_embed_projects ADD COLUMN attributes jsonb NOT NULL DEFAULT '{}'::jsonb",
    `UPDATE sso_embed_projects SET attributes = jsonb_strip_nulls(jsonb_build_object(
      'tasks', tasks_limit, 'aiCredits', ai_credits_limit, 'piecesFilterType', pieces_filter_type, 'piecesTags', to_jsonb(pieces_tags)))`,
    'ALTER TABLE sso_embed_projects DROP COLUMN tasks_limit, DROP COLUMN ai_credits_limit, DROP COLUMN pieces_filter_type, DROP COLUMN pieces_tags',
    `CREATE TABLE sso_embed_sessions (
      id uuid PRIMARY KEY,
      account text NOT NULL,
      kid text NOT NULL,
      host_origin text NOT NULL,
      user_id uuid NOT NULL REFERENCES sso_embed_users (id) ON DELETE CASCADE,
      project_id uuid REFERENCES sso_embed_projects (id) ON DELETE SET NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      expires_at timestamptz NOT NULL,
      revoked_at timestamptz
    )`,
    'CREATE INDEX sso_embed_sessions_user ON sso_embed_sessions (user_id)',
    'CREATE INDEX sso_embed_sessions_key ON sso_embed_sessions (account, kid)',
    'CREATE INDEX sso_embed_sessions_expiry ON sso_embed_sessions (expires_at)',
  ],
]
