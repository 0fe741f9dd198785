# The two nodes join in about two minutes; then one catalog pod runs and
# the other waits, and the scheduler's reason names the volume.
sleep 180
kubectl get pods -o wide
kubectl describe pod catalog-00002
# The EBS driver made the volume in the zone of the first pod's node.
kubectl get pv
kubectl describe pv
# EFS spans the VPC's zones and many nodes mount it at once
# (ReadWriteMany): a volume on the file system, a claim on it, and the
# Deployment again with the new claim. (The PersistentVolume is from the
# aws-efs-csi-driver's static_provisioning example.)
echo 'apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata:
  name: efs-sc
provisioner: efs.csi.aws.com
---
apiVersion: v1
kind: PersistentVolume
metadata:
  name: catalog-files
spec:
  capacity:
    storage: 20Gi
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
  name: catalog-files
spec:
  accessModes:
    - ReadWriteMany
  storageClassName: efs-sc
  resources:
    requests:
      storage: 20Gi
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: catalog
spec:
  replicas: 2
  selector:
    matchLabels:
      app: catalog
  template:
    metadata:
      labels:
        app: catalog
    spec:
      containers:
      - name: catalog
        image: public.ecr.aws/nginx/nginx:1.27
        resources:
          requests:
            cpu: 1200m
            memory: 2Gi
        volumeMounts:
        - name: files
          mountPath: /usr/share/nginx/html
      volumes:
      - name: files
        persistentVolumeClaim:
          claimName: catalog-files' > catalog.yaml
kubectl apply -f catalog.yaml
kubectl rollout status deployment/catalog
kubectl get pods -o wide
