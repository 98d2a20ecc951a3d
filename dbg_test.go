package lastmile_test
import ("testing";"context";"fmt";"time";"os"
 "github.com/lastmile-health/lastmile")
func TestX(t *testing.T){
 b,_:=os.ReadFile("/tmp/covdemo/district.gpkg"); os.WriteFile("/tmp/covdemo/x.gpkg",b,0o644)
 d,_:=lastmile.Open("/tmp/covdemo/x.gpkg")
 t0:=time.Now()
 _,err:=d.Coverage(context.Background(), lastmile.CoverageOptions{Progress: func(s string){fmt.Println(time.Since(t0), s)}})
 fmt.Println(time.Since(t0), err)
}
