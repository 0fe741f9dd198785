# Fargate pods cannot attach EBS or FSx for Lustre, and the EFS CSI driver
# cannot provision a volume for them: the PersistentVolume is made
# beforehand (static provisioning), on an EFS file system that exists.
# The StorageClass only names the driver. (From the aws-efs-csi-driver's
# static_provisioning example.)
kubectl create namespace batch
echo 'apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata:
  name: efs-sc
provisioner: efs.csi.aws.com
---
apiVersion: v1
kind: PersistentVolume
metadata:
  name: ledger-pv
spec:
  capacity:
    storage: 5Gi
  volumeMode: Filesystem
  accessModes:
    - ReadWriteMany
  persistentVolumeReclaimPolicy: Retain
  storageClassName: efs-sc
  csi:
    driver: efs.csi.aws.com
    volumeHandle: fs-0123456789abcdef0
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: ledger-data
  namespace: batch
spec:
  accessModes:
    - ReadWriteMany
  storageClassName: efs-sc
  resources:
    requests:
      storage: 5Gi
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: ledger
  namespace: batch
spec:
  replicas: 1
  selector:
    matchLabels:
      app: ledger
  template:
    metadata:
      labels:
        app: ledger
    spec:
      containers:
      - name: ledger
        image: public.ecr.aws/docker/library/postgres:16
        resources:
          requests:
            cpu: 250m
            memory: 512Mi
        volumeMounts:
        - name: data
          mountPath: /var/lib/postgresql/data
      volumes:
      - name: data
        persistentVolumeClaim:
          claimName: ledger-data' > ledger.yaml
kubectl apply -f ledger.yaml
kubectl get pvc -n batch
kubectl get pods -n batch -o wide
