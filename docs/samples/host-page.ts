// Host page: mount the platform with core.
import { configure } from '@sso-embed/core'

const embed = configure({
  instanceUrl: 'https://platform.example.com/embed',
  container: '#builder',
  getToken: () => fetch('/api/embed-token', { credentials: 'include' }).then((response) => response.text()),
  storage: 'auto',
})
embed.on('storageAccess', ({ status }) => console.log('cookies in the frame:', status))
embed.on('error', (error) => console.error(error.code, error.message))
const { user, project } = await embed.ready
console.log(`signed in as ${user.name} in ${project?.name}`)
