# A file on the EFS volume outlives the task; one on the task's own
# storage does not.
sleep 120
dockyard write-file --task t-1 --volume shared --path reports/2026-11.csv --contents 'month,total
11,42'
sleep 60
aws ecs stop-task --cluster files --task t-1 --query 'task.lastStatus'
