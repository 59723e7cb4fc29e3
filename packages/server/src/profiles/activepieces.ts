import { definedOnly } from './claims'
import { defineProfile } from './profile'

/** activepieces roles, as the `role` claim spells them. */
export const ACTIVEPIECES_ROLES = ['EDITOR', 'VIEWER', 'ADMIN'] as const

/** What activepieces keeps on a project (`StoredProject.attributes`). */
export interface ActivepiecesProjectAttributes {
  tasks?: number
  aiCredits?: number
  piecesFilterType?: 'NONE' | 'ALLOWED'
  piecesTags?: string[]
}

/**
 * The activepieces "v3" contract (Rantir uses the same): `version: "v3"`, `externalUserId`,
 * `externalProjectId`, `firstName`, `lastName`, `role`, and optionally `projectDisplayName`,
 * `piecesFilterType`, `piecesTags`, `tasks`, `aiCredits`. Provisioning: the project, the role, names,
 * limits and pieces filter on every login (a limit left out stays as stored).
 */
export const activepiecesV3 = defineProfile({
  name: 'activepieces-v3',
  identify(read) {
    const version = read.string('version')
    if (version !== 'v3') read.invalid('version', '"v3" for the activepieces-v3 profile', version)
    const filterType = read.optional.oneOf('piecesFilterType', ['NONE', 'ALLOWED'])
    const tags = read.optional.strings('piecesTags')
    if (tags && filterType !== 'ALLOWED') read.invalid('piecesFilterType', '"ALLOWED" when piecesTags is given', filterType ?? null)
    const attributes: Record<string, unknown> & ActivepiecesProjectAttributes = definedOnly({
      tasks: read.optional.integer('tasks', { min: 0, max: 2_147_483_647 }),
      aiCredits: read.optional.number('aiCredits', { min: 0 }),
      piecesFilterType: filterType,
      piecesTags: tags,
    })
    return {
      tenant: '',
      userId: read.string('externalUserId'),
      userIdClaim: 'externalUserId',
      user: { firstName: read.string('firstName'), lastName: read.string('lastName') },
      project: {
        externalId: read.string('externalProjectId'),
        role: read.oneOf('role', ACTIVEPIECES_ROLES),
        ...definedOnly({ name: read.optional.string('projectDisplayName') }),
        ...(Object.keys(attributes).length > 0 && { attributes }),
      },
    }
  },
})
