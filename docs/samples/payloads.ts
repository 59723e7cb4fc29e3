// The payload of each claim profile, as the host signs it (iat, exp and jti are added by the signer).
export const activepiecesV3 = {
  version: 'v3',
  externalUserId: 'user-42',
  externalProjectId: 'team-7',
  projectDisplayName: 'Marketing',
  firstName: 'Ada',
  lastName: 'Lovelace',
  role: 'EDITOR', // EDITOR | VIEWER | ADMIN
  piecesFilterType: 'ALLOWED', // NONE | ALLOWED
  piecesTags: ['crm', 'email'],
  tasks: 50000,
  aiCredits: 250,
}

export const latenode = {
  tenant_id: 1042,
  user_id: 'user-42',
  plan_id: 3, // applied on the first login only
  no_personal_space: true,
  grant_access: [{ space_id: 7, role_id: 2 }], // 1 Admin, 2 Manager, 3 No-code, 4 Read only, 5 Credential only
}

export const raytha = {
  sub: 'user-42', // without sub, the email is the identity
  email: 'ada@example.com',
  given_name: 'Ada',
  family_name: 'Lovelace',
  groups: ['editors'],
}
