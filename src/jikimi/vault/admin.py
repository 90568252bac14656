"""The vault has no admin pages (R36: the admin is no back door).

Legal holds name their requesters and cases, destructions and recording triggers the footage they
concern; they are shown on the vault's own pages, to the users whose grants cover their devices, and
every change to them goes through the audited actions. Devices are shown, read-only and without their
camera credentials, with the register (jikimi.inventory.admin).
"""
