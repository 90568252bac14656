"""A fleet of `jikimi record` nodes on loopback, end to end (issue 18, "Proven by simulation"): PostgreSQL,
Redis, a moto S3 server, N recorder processes and thousands of simulated cameras — leases, a SIGKILLed
node's takeover, retention across the fleet, and a masking job surviving its worker. See README.md.
"""
