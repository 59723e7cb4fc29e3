import { defineSsoEmbed } from '@sso-embed/element'
import { instanceUrl, log, tokenUrl } from './wrapper-page'

defineSsoEmbed()
const element = document.createElement('sso-embed')
element.setAttribute('instance-url', instanceUrl)
element.setAttribute('token-url', tokenUrl)
element.iframe = { title: 'Demo platform' }
for (const type of ['ready', 'navigate', 'storageAccess', 'error']) {
  element.addEventListener(`sso-embed:${type}`, (event) => log(type, (event as CustomEvent).detail))
}
document.getElementById('root')!.append(element)
