// The custom element in a bundled app: register it, then listen to its DOM events.
import { defineSsoEmbed } from '@sso-embed/element'

defineSsoEmbed()
const element = document.querySelector('sso-embed')!
element.addEventListener('sso-embed:ready', (event) => console.log((event as CustomEvent).detail.user))
element.addEventListener('sso-embed:error', (event) => console.error((event as CustomEvent).detail.code))
