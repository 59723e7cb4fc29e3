// React: the component, a ref, and the events.
import { EmbeddedBuilder, type EmbeddedBuilderHandle } from '@sso-embed/react'
import { useRef } from 'react'

export function Builder({ jwt }: { jwt: string }) {
  const builder = useRef<EmbeddedBuilderHandle>(null)
  return (
    <>
      <button type="button" onClick={() => builder.current?.navigate('/flows')}>
        Flows
      </button>
      <EmbeddedBuilder
        ref={builder}
        instanceUrl="https://platform.example.com/embed"
        token={jwt} // a new jwt signs in again without reloading the iframe
        getToken={() => fetch('/api/embed-token').then((response) => response.text())}
        ui={{ hideSidebar: true }}
        onReady={({ user }) => console.log('signed in as', user.name)}
        onError={(error) => console.error(error.code)}
      />
    </>
  )
}
