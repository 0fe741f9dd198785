# EFS is regional; an EBS volume lives in one zone.
sleep 120
dockyard write-file --task t-1 --volume shared --path ledger/2026-11.csv --contents 'day,total
27,1200'
sleep 60
dockyard lose-az --az us-east-1a
