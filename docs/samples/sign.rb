# Host backend in Ruby with the jwt gem (Debian: ruby-jwt): sign an activepieces-v3 embed token.
require 'jwt'
require 'openssl'
require 'securerandom'

def embed_token(private_key_pem, kid)
  now = Time.now.to_i
  claims = {
    version: 'v3', externalUserId: 'user-42', externalProjectId: 'team-7',
    firstName: 'Ada', lastName: 'Lovelace', role: 'EDITOR',
    iat: now, exp: now + 300, jti: SecureRandom.uuid
  }
  JWT.encode(claims, OpenSSL::PKey::RSA.new(private_key_pem), 'RS256', { kid: kid })
end

puts embed_token(File.read(ENV.fetch('PRIVATE_KEY_FILE')), ENV.fetch('KID'))
