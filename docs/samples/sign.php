<?php
// Host backend in PHP, with the openssl extension only: sign an activepieces-v3 embed token (RS256).
function base64url(string $data): string {
    return rtrim(strtr(base64_encode($data), '+/', '-_'), '=');
}

function embed_token(string $privateKeyPem, string $kid): string {
    $now = time();
    $header = ['alg' => 'RS256', 'typ' => 'JWT', 'kid' => $kid];
    $claims = [
        'version' => 'v3', 'externalUserId' => 'user-42', 'externalProjectId' => 'team-7',
        'firstName' => 'Ada', 'lastName' => 'Lovelace', 'role' => 'EDITOR',
        'iat' => $now, 'exp' => $now + 300, 'jti' => bin2hex(random_bytes(16)),
    ];
    $input = base64url(json_encode($header)) . '.' . base64url(json_encode($claims));
    if (!openssl_sign($input, $signature, $privateKeyPem, OPENSSL_ALGO_SHA256)) {
        throw new RuntimeException('signing failed: ' . openssl_error_string());
    }
    return $input . '.' . base64url($signature);
}

echo embed_token(file_get_contents(getenv('PRIVATE_KEY_FILE')), getenv('KID')), "\n";
