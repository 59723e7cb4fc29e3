# Host backend in Python with PyJWT (Debian: python3-jwt): sign an activepieces-v3 embed token.
import os, time, uuid
import jwt  # PyJWT

def embed_token(private_key_pem: str, kid: str) -> str:
    now = int(time.time())
    claims = {
        "version": "v3",
        "externalUserId": "user-42",
        "externalProjectId": "team-7",
        "firstName": "Ada",
        "lastName": "Lovelace",
        "role": "EDITOR",
        "iat": now,
        "exp": now + 300,  # five minutes: the platform exchanges it for a session
        "jti": str(uuid.uuid4()),
    }
    return jwt.encode(claims, private_key_pem, algorithm="RS256", headers={"kid": kid})

if __name__ == "__main__":
    with open(os.environ["PRIVATE_KEY_FILE"]) as f:
        print(embed_token(f.read(), os.environ["KID"]))
