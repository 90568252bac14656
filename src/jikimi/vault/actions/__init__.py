"""Every state change of the vault, each in one transaction with its audit entry.

devices      add a device, record its health (R13)
ingest       store a footage file: probe → encrypt → store → index (+ audit)
holds        place and release legal holds (법 제21조③, R18)
destruction  enforce retention: destroy day keys, then collect the ciphertext (R17, R19)
"""
